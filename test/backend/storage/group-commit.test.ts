import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import type { Store } from '../../../backend/storage/database.js';

describe('SQLite group commit', () => {
  let database: TestDatabase;
  let store: Store;
  before(async () => {
    database = await createTestDatabase('sqlite');
    store = await database.open();
  });
  after(async () => {
    await store.close();
    await database.drop();
  });

  const insertConference = (id: string) => (trx: Parameters<Parameters<Store['transact']>[0]>[0]) =>
    trx.insertInto('conferences').values({ id, doc: '{}', status: 'live', created_at: 'x', updated_at: 'x' }).execute();

  it('rolls back a failing unit alone and commits the others of its batch', async () => {
    const results = await Promise.allSettled([
      store.transact(insertConference('a')),
      store.transact(async (trx) => {
        await insertConference('b')(trx);
        throw new Error('refused');
      }),
      store.transact(insertConference('c')),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    const ids = (await store.db.selectFrom('conferences').select('id').orderBy('id').execute()).map((r) => r.id);
    assert.deepEqual(ids, ['a', 'c']);
  });

  it('answers a unit only after its batch committed: a unique clash in one unit spares the rest', async () => {
    const results = await Promise.allSettled([
      store.transact(insertConference('d')),
      store.transact(insertConference('d')),
      store.transact(insertConference('e')),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    const count = await store.db
      .selectFrom('conferences')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('id', 'in', ['d', 'e'])
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 2);
  });
});
