import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import type { Transaction } from 'kysely';
import { createTestDatabase } from '../../helpers/database.js';
import { GroupCommitter, type GroupCommitOptions } from '../../../backend/storage/group-commit.js';
import type { Database } from '../../../backend/storage/schema.js';

/** A SQLite database of this test's own, a committer over it, and the batch sizes it reports. */
async function committerFor(t: TestContext, options: GroupCommitOptions = {}) {
  const database = await createTestDatabase('sqlite');
  const store = await database.open();
  t.after(async () => {
    await store.close();
    await database.drop();
  });
  const batches: number[] = [];
  const committer = new GroupCommitter(store.db, { ...options, onBatch: (size) => batches.push(size) });
  const ids = async () => (await store.db.selectFrom('conferences').select('id').orderBy('id').execute()).map((r) => r.id);
  return { committer, batches, ids };
}

const insertConference = (id: string) => (trx: Transaction<Database>) =>
  trx.insertInto('conferences').values({ id, doc: '{}', status: 'live', created_at: 'x', updated_at: 'x' }).execute();

describe('SQLite group commit', () => {
  it('runs units queued in one turn of the event loop as one batch, answered after its commit', async (t) => {
    const { committer, batches, ids } = await committerFor(t);
    const heard: string[] = [];
    const units = ['a', 'b', 'c'].map((id) => committer.run(insertConference(id)).then(() => heard.push(`${id} after ${batches.length}`)));
    await Promise.all(units);
    assert.deepEqual(batches, [3]);
    assert.deepEqual(heard, ['a after 1', 'b after 1', 'c after 1']);
    assert.deepEqual(await ids(), ['a', 'b', 'c']);
  });

  it('starts a new batch for a unit queued after the first one ran', async (t) => {
    const { committer, batches } = await committerFor(t);
    await committer.run(insertConference('a'));
    await Promise.all([committer.run(insertConference('b')), committer.run(insertConference('c'))]);
    assert.deepEqual(batches, [1, 2]);
  });

  it('splits a long queue into batches of maxBatch', async (t) => {
    const { committer, batches, ids } = await committerFor(t, { maxBatch: 2 });
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((id) => committer.run(insertConference(id))));
    assert.deepEqual(batches, [2, 2, 1]);
    assert.equal((await ids()).length, 5);
  });

  it('rolls back a failing unit alone and commits the others of its batch', async (t) => {
    const { committer, batches, ids } = await committerFor(t);
    const results = await Promise.allSettled([
      committer.run(insertConference('a')),
      committer.run(async (trx) => {
        await insertConference('b')(trx);
        throw new Error('refused');
      }),
      committer.run(insertConference('c')),
    ]);
    assert.deepEqual(batches, [3]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.deepEqual(await ids(), ['a', 'c']);
  });

  it('spares the rest of a batch when one unit clashes on a unique key', async (t) => {
    const { committer, batches, ids } = await committerFor(t);
    const results = await Promise.allSettled([
      committer.run(insertConference('d')),
      committer.run(insertConference('d')),
      committer.run(insertConference('e')),
    ]);
    assert.deepEqual(batches, [3]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.deepEqual(await ids(), ['d', 'e']);
  });
});
