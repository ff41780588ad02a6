import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { person, postRegistration, seedConference, startBackend, type TestBackend } from '../helpers/backend.js';
import { POSTGRES_SKIP } from '../helpers/database.js';

/** A backend on PostgreSQL with `options`, and a connection of its own that holds row locks. */
function lockedSuite(options: { batchStatementMs?: number; statementMs?: number }) {
  let backend: TestBackend | undefined;
  let holder: pg.Client | undefined;
  before(async () => {
    backend = await startBackend({ dialect: 'postgres', ...options });
    holder = new pg.Client({ connectionString: backend.databaseUrl });
    await holder.connect();
  });
  after(async () => {
    await holder?.end();
    await backend?.close();
  });
  return {
    get backend() {
      return backend!;
    },
    /** Locks one row of `table` in an open transaction, as an admin's `psql` session would. */
    async lock(table: 'conferences' | 'api_keys', id: string) {
      await holder!.query('begin');
      await holder!.query(`select id from ${table} where id = $1 for update`, [id]);
    },
    release: () => holder!.query('rollback'),
  };
}

// The batches of one backend process share one connection (backend/storage/database.ts): a
// statement stuck on a lock that something else holds (an admin's open transaction, a stuck
// migration) would hold every create of the process. Its limit makes it fail instead.
// A missing limit would hang a create until the lock is released, which only comes after it:
// the suite's timeout then fails it.
describe('PostgreSQL: a create stuck on a lock held outside the backend', { skip: POSTGRES_SKIP, timeout: 30_000 }, () => {
  const suite = lockedSuite({ batchStatementMs: 1_000 });

  it('answers 500 internal_error once the statement limit passes, with no SQL said or logged, and stores nothing', async () => {
    const { conferenceId, apiKey } = await seedConference(suite.backend.store);
    await suite.lock('conferences', conferenceId);
    const stuck = await postRegistration(suite.backend, apiKey, person('stuck'));
    await suite.release();
    assert.equal(stuck.status, 500);
    assert.equal(stuck.body.error.code, 'internal_error');
    assert.deepEqual(Object.keys(stuck.body.error.details), ['error_id']);
    assert.equal(suite.backend.logs.filter((line) => line.includes('unexpected error')).length, 1);
    const said = JSON.stringify(stuck.body) + suite.backend.logs.join('\n');
    assert.doesNotMatch(said, /select|update|insert|conferences where|statement timeout|canceling/i);
    const stored = await suite.backend.store.db
      .selectFrom('registrations')
      .select('email')
      .where('conference_id', '=', conferenceId)
      .execute();
    assert.deepEqual(stored, []);
  });

  it('takes creates again once the lock is gone: the same person, and another conference’s', async () => {
    const { conferenceId, apiKey } = await seedConference(suite.backend.store);
    const other = await seedConference(suite.backend.store, { id: 'other-conference' });
    await suite.lock('conferences', conferenceId);
    assert.equal((await postRegistration(suite.backend, apiKey, person('again'))).status, 500);
    await suite.release();
    assert.equal((await postRegistration(suite.backend, apiKey, person('again'))).status, 201);
    assert.equal((await postRegistration(suite.backend, other.apiKey, person('again'))).status, 201);
  });
});

describe('PostgreSQL: a request stuck on a lock held outside the backend', { skip: POSTGRES_SKIP, timeout: 30_000 }, () => {
  const suite = lockedSuite({ statementMs: 1_000 });

  it('answers 500 once the statement limit passes (a first use of a key waits on its row), and the next request is served', async () => {
    const { apiKey, keyId } = await seedConference(suite.backend.store);
    await suite.lock('api_keys', keyId);
    const stuck = await postRegistration(suite.backend, apiKey, person('key-locked'));
    await suite.release();
    assert.equal(stuck.status, 500);
    assert.equal(stuck.body.error.code, 'internal_error');
    assert.doesNotMatch(JSON.stringify(stuck.body) + suite.backend.logs.join('\n'), /select|update|api_keys|statement timeout|canceling/i);
    assert.equal((await postRegistration(suite.backend, apiKey, person('key-locked'))).status, 201);
  });
});
