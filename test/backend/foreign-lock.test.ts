import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { person, postRegistration, seedConference, startBackend, type TestBackend } from '../helpers/backend.js';
import { POSTGRES_SKIP } from '../helpers/database.js';

// The batches of one backend process share one connection (backend/storage/database.ts): a
// statement stuck on a lock that something else holds (an admin's open transaction, a stuck
// migration) would hold every create of the process. Its limit makes it fail instead.
// A missing limit would hang a create until the lock is released, which only comes after it:
// the suite's timeout then fails it.
describe('PostgreSQL: a create stuck on a lock held outside the backend', { skip: POSTGRES_SKIP, timeout: 30_000 }, () => {
  let backend: TestBackend;
  let holder: pg.Client;
  before(async () => {
    backend = await startBackend({ dialect: 'postgres', batchStatementMs: 1_000 });
    holder = new pg.Client({ connectionString: backend.databaseUrl });
    await holder.connect();
  });
  after(async () => {
    await holder.end();
    await backend.close();
  });

  it('answers 500 internal_error once the statement limit passes, with no SQL said or logged, and stores nothing', async () => {
    const { conferenceId, apiKey } = await seedConference(backend.store);
    await holder.query('begin');
    await holder.query('select id from conferences where id = $1 for update', [conferenceId]);
    const stuck = await postRegistration(backend, apiKey, person('stuck'));
    await holder.query('rollback');
    assert.equal(stuck.status, 500);
    assert.equal(stuck.body.error.code, 'internal_error');
    assert.deepEqual(Object.keys(stuck.body.error.details), ['error_id']);
    assert.equal(backend.logs.filter((line) => line.includes('unexpected error')).length, 1);
    const said = JSON.stringify(stuck.body) + backend.logs.join('\n');
    assert.doesNotMatch(said, /select|update|insert|conferences where|statement timeout|canceling/i);
    const stored = await backend.store.db.selectFrom('registrations').select('email').where('conference_id', '=', conferenceId).execute();
    assert.deepEqual(stored, []);
  });

  it('takes creates again once the lock is gone: the same person, and another conference’s', async () => {
    const { conferenceId, apiKey } = await seedConference(backend.store);
    const other = await seedConference(backend.store, { id: 'other-conference' });
    await holder.query('begin');
    await holder.query('select id from conferences where id = $1 for update', [conferenceId]);
    assert.equal((await postRegistration(backend, apiKey, person('again'))).status, 500);
    await holder.query('rollback');
    assert.equal((await postRegistration(backend, apiKey, person('again'))).status, 201);
    assert.equal((await postRegistration(backend, other.apiKey, person('again'))).status, 201);
  });
});

describe('PostgreSQL: a request stuck on a lock held outside the backend', { skip: POSTGRES_SKIP, timeout: 30_000 }, () => {
  let backend: TestBackend;
  let holder: pg.Client;
  before(async () => {
    backend = await startBackend({ dialect: 'postgres', statementMs: 1_000 });
    holder = new pg.Client({ connectionString: backend.databaseUrl });
    await holder.connect();
  });
  after(async () => {
    await holder.end();
    await backend.close();
  });

  it('answers 500 once the statement limit passes (a first use of a key waits on its row), and the next request is served', async () => {
    const { apiKey, keyId } = await seedConference(backend.store);
    await holder.query('begin');
    await holder.query('select id from api_keys where id = $1 for update', [keyId]);
    const stuck = await postRegistration(backend, apiKey, person('key-locked'));
    await holder.query('rollback');
    assert.equal(stuck.status, 500);
    assert.equal(stuck.body.error.code, 'internal_error');
    assert.doesNotMatch(JSON.stringify(stuck.body) + backend.logs.join('\n'), /select|update|api_keys|statement timeout|canceling/i);
    assert.equal((await postRegistration(backend, apiKey, person('key-locked'))).status, 201);
  });
});
