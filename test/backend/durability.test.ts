import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { randomUUID } from 'node:crypto';
import { DIALECTS, createTestDatabase } from '../helpers/database.js';
import { person, postRegistration, seedConference } from '../helpers/backend.js';
import { eventually } from '../helpers/eventually.js';
import { spawnBackend } from '../helpers/process.js';

for (const { dialect, skip } of DIALECTS) {
  describe(`a backend killed mid-burst on ${dialect}`, { skip }, () => {
    it('keeps every registration it answered 201 for, none twice, and a retry completes the rest', async () => {
      const database = await createTestDatabase(dialect);
      const store = await database.open();
      const seeded = await seedConference(store);
      await store.close();
      const env = { DATABASE_URL: database.url, IDEMPOTENCY_IN_FLIGHT_MS: '500' };
      const first = await spawnBackend(env);

      const attempts = Array.from({ length: 400 }, (_, i) => ({ body: person(i), key: randomUUID() }));
      const confirmed = new Map<number, string>();
      let answered = 0;
      let killed = false;
      // 16 clients send their requests one after another; the process dies after ~120 answers.
      await Promise.all(
        Array.from({ length: 16 }, async (_, worker) => {
          for (let i = worker; i < attempts.length; i += 16) {
            try {
              const r = await postRegistration(first, seeded.apiKey, attempts[i]!.body, { 'idempotency-key': attempts[i]!.key });
              if (r.status === 201) confirmed.set(i, r.body.data.id);
              if (++answered === 120 && !killed) {
                killed = true;
                first.child.kill('SIGKILL');
              }
            } catch {
              return; // connection refused or reset: the process is gone
            }
          }
        }),
      );
      await first.stop('SIGKILL');
      assert.ok(killed, 'the burst reached the kill point');
      assert.ok(confirmed.size >= 100);

      const second = await spawnBackend(env);
      try {
        const check = await database.open();
        const rows = await check.db
          .selectFrom('registrations')
          .select(['id', 'email'])
          .where('conference_id', '=', seeded.conferenceId)
          .execute();
        const ids = new Set(rows.map((r) => r.id));
        for (const id of confirmed.values()) assert.ok(ids.has(id), `registration ${id} answered 201 is stored`);
        assert.equal(new Set(rows.map((r) => r.email)).size, rows.length, 'nobody is stored twice');

        // Clients retry what got no answer, with the same Idempotency-Key, for as long as the
        // dead process's claim is in flight (409 idempotency_key_in_use, until IDEMPOTENCY_IN_FLIGHT_MS).
        for (const [i, attempt] of attempts.entries()) {
          const r = await eventually(
            async () => {
              const answer = await postRegistration(second, seeded.apiKey, attempt.body, { 'idempotency-key': attempt.key });
              return answer.status === 409 && answer.body.error.code === 'idempotency_key_in_use' ? undefined : answer;
            },
            { what: `the claim of attempt ${i} to expire` },
          );
          assert.equal(r.status, 201, `attempt ${i} completes on retry`);
          if (confirmed.has(i)) {
            assert.equal(r.body.data.id, confirmed.get(i));
            assert.equal(r.headers.get('idempotent-replayed'), 'true');
          }
        }
        const after = await check.db
          .selectFrom('registrations')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow();
        assert.equal(Number(after.n), attempts.length, 'exactly one registration per person');
        await check.close();
      } finally {
        await second.stop();
        await database.drop();
      }
    });
  });
}
