import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { DIALECTS, POSTGRES_SKIP } from '../helpers/database.js';
import { person, postRegistration, seedConference, startBackend, type Seeded, type TestBackend } from '../helpers/backend.js';

for (const { dialect, skip } of DIALECTS) {
  describe(`concurrent creates on ${dialect}`, { skip }, () => {
    let backend: TestBackend;
    before(async () => {
      backend = await startBackend({ dialect });
    });
    after(async () => backend?.close());

    it('200 simultaneous creates for 50 seats give exactly 50 × 201, and 50 rows', async () => {
      const seeded = await seedConference(backend.store, { capacity: 50 });
      const results = await Promise.all(Array.from({ length: 200 }, (_, i) => postRegistration(backend, seeded.apiKey, person(i))));
      const created = results.filter((r) => r.status === 201).length;
      const full = results.filter((r) => r.status === 409 && r.body.error.code === 'event_full').length;
      assert.equal(created, 50);
      assert.equal(full, 150);
      const count = await backend.store.db
        .selectFrom('registrations')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('conference_id', '=', seeded.conferenceId)
        .executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 50);
    });

    it('a ticket type capacity holds under the same burst', async () => {
      const seeded = await seedConference(backend.store, {
        ticket_types: [{ id: 'free', name: 'Free', capacity: 7, prices: { 'early-bird': 0 } }],
      });
      const results = await Promise.all(Array.from({ length: 60 }, (_, i) => postRegistration(backend, seeded.apiKey, person(i))));
      assert.equal(results.filter((r) => r.status === 201).length, 7);
      assert.ok(results.filter((r) => r.status !== 201).every((r) => r.body.error.code === 'ticket_sold_out'));
    });

    it('20 simultaneous identical creates give exactly one 201', async () => {
      const seeded: Seeded = await seedConference(backend.store);
      const results = await Promise.all(Array.from({ length: 20 }, () => postRegistration(backend, seeded.apiKey, person('same'))));
      assert.equal(results.filter((r) => r.status === 201).length, 1);
      assert.equal(results.filter((r) => r.status === 409 && r.body.error.code === 'duplicate_registration').length, 19);
    });
  });
}

/**
 * On PostgreSQL the claims of one batch run at the same time (backend/storage/batch-commit.ts):
 * a claim refused after taking a seat gives it back only after the claims behind it were
 * sent. Those must not be refused for a seat that is free once the batch commits.
 */
describe('claims sharing a batch on postgres', { skip: POSTGRES_SKIP }, () => {
  let backend: TestBackend;
  before(async () => {
    backend = await startBackend({ dialect: 'postgres' });
  });
  after(async () => backend?.close());

  /** Holds the batch committer busy, then sends `bodies` 30 ms apart: they queue, in that order, for one batch. */
  async function inOneBatch(seeded: Seeded, bodies: Record<string, unknown>[]) {
    const blocker = backend.store.batch((db) => sql`select pg_sleep(0.4)`.execute(db));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const answers = [];
    for (const body of bodies) {
      answers.push(postRegistration(backend, seeded.apiKey, body));
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    await blocker;
    return Promise.all(answers);
  }

  it('a seat given back by a claim before ours in the batch is ours: 201, not event_full', async () => {
    const seeded = await seedConference(backend.store, {
      capacity: 2,
      ticket_types: [
        { id: 'free', name: 'Free', capacity: 1, prices: { 'early-bird': 0 } },
        { id: 'other', name: 'Other', prices: { 'early-bird': 0 } },
      ],
    });
    assert.equal((await postRegistration(backend, seeded.apiKey, person(1))).status, 201);
    // The first takes the last conference seat, is refused by its sold-out ticket and gives
    // the seat back; the second asked for the seat before it was given back.
    const [soldOut, second] = await inOneBatch(seeded, [person(2), person(3, { ticketTypeId: 'other' })]);
    assert.equal(soldOut!.body.error?.code, 'ticket_sold_out');
    assert.equal(second!.status, 201, JSON.stringify(second!.body));
  });

  it('a ticket seat given back by a twin before ours in the batch is ours: 201, not ticket_sold_out', async () => {
    const seeded = await seedConference(backend.store, {
      ticket_types: [{ id: 'free', name: 'Free', capacity: 2, prices: { 'early-bird': 0 } }],
    });
    // The twin takes the second ticket seat, finds its twin's row and gives the seat back.
    const [first, twin, third] = await inOneBatch(seeded, [person('twin'), person('twin'), person(3)]);
    assert.equal(first!.status, 201);
    assert.equal(twin!.body.error?.code, 'duplicate_registration');
    assert.equal(third!.status, 201, JSON.stringify(third!.body));
    const sold = await backend.store.db
      .selectFrom('ticket_sales')
      .select('sold')
      .where('conference_id', '=', seeded.conferenceId)
      .executeTakeFirst();
    assert.equal(sold?.sold, 2);
  });
});
