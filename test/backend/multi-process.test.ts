import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DIALECTS, createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { person, postRegistration, seedConference } from '../helpers/backend.js';
import { spawnBackend, type BackendProcess } from '../helpers/process.js';

for (const { dialect, skip } of DIALECTS) {
  describe(`two backend processes on one ${dialect} database`, { skip }, () => {
    let database: TestDatabase;
    let backends: BackendProcess[] = [];
    before(async () => {
      database = await createTestDatabase(dialect);
      await (await database.open()).close(); // migrate once, before both start
      backends = await Promise.all([spawnBackend({ DATABASE_URL: database.url }), spawnBackend({ DATABASE_URL: database.url })]);
    });
    after(async () => {
      await Promise.all(backends.map((b) => b.stop()));
      await database?.drop();
    });

    async function seed(overrides: Record<string, unknown>) {
      const store = await database.open();
      try {
        return await seedConference(store, overrides);
      } finally {
        await store.close();
      }
    }

    /** How many registrations the shared database holds for the conference. */
    async function storedCount(conferenceId: string): Promise<number> {
      const store = await database.open();
      try {
        const n = await store.db
          .selectFrom('registrations')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('conference_id', '=', conferenceId)
          .executeTakeFirstOrThrow();
        return Number(n.n);
      } finally {
        await store.close();
      }
    }

    it('never oversell: 200 creates for 50 seats across both give exactly 50', async () => {
      const seeded = await seed({ capacity: 50 });
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) => postRegistration(backends[i % 2]!, seeded.apiKey, person(i))),
      );
      assert.equal(results.filter((r) => r.status === 201).length, 50);
      assert.ok(results.filter((r) => r.status !== 201).every((r) => r.status === 409 && r.body.error.code === 'event_full'));
      assert.equal(await storedCount(seeded.conferenceId), 50);
    });

    it('never store one person twice: 20 identical creates across both give one 201', async () => {
      const seeded = await seed({});
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => postRegistration(backends[i % 2]!, seeded.apiKey, person('twin'))),
      );
      assert.equal(results.filter((r) => r.status === 201).length, 1);
      assert.equal(results.filter((r) => r.status === 409 && r.body.error.code === 'duplicate_registration').length, 19);
    });

    it('never create twice for one Idempotency-Key: 20 identical requests across both give one registration', async () => {
      const seeded = await seed({});
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          postRegistration(backends[i % 2]!, seeded.apiKey, person('retry'), { 'idempotency-key': 'one-attempt' }),
        ),
      );
      // The first claim wins; the others replay its answer, or hear it is still in flight.
      const created = results.filter((r) => r.status === 201);
      assert.ok(created.length >= 1, JSON.stringify(results.map((r) => r.status)));
      assert.equal(new Set(created.map((r) => r.body.data.id)).size, 1);
      assert.ok(results.every((r) => r.status === 201 || (r.status === 409 && r.body.error.code === 'idempotency_key_in_use')));
      assert.equal(await storedCount(seeded.conferenceId), 1);
    });
  });
}
