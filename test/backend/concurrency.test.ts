import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DIALECTS } from '../helpers/database.js';
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
