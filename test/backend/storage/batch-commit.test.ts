import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { createTestDatabase, POSTGRES_SKIP } from '../../helpers/database.js';
import { BatchCommitter } from '../../../backend/storage/batch-commit.js';
import { BATCH_STATEMENT_MS, openDatabase } from '../../../backend/storage/database.js';
import type { Database } from '../../../backend/storage/schema.js';

/**
 * A PostgreSQL schema of this test's own with a scratch table `log` (rows numbered in the
 * order the server wrote them), and a committer over a pipelined pool of one connection, as
 * the backend makes it (backend/storage/database.ts).
 */
async function committerFor(t: TestContext, options: { maxBatch?: number } = {}) {
  const database = await createTestDatabase('postgres');
  const pool = new pg.Pool({ connectionString: database.url, max: 1, pipeline: true });
  const reader = new pg.Pool({ connectionString: database.url, max: 2 });
  t.after(async () => {
    await pool.end();
    await reader.end();
    await database.drop();
  });
  await reader.query('create table log (n serial primary key, label text not null, txid bigint not null default txid_current())');
  const committer = new BatchCommitter(pool, options);
  const rows = async () => (await reader.query<{ label: string; txid: string }>('select label, txid from log order by n')).rows;
  const labels = async () => (await rows()).map((row) => row.label);
  return { committer, rows, labels };
}

const write = (db: Kysely<Database>, label: string) => sql`insert into log (label) values (${label})`.execute(db);

/**
 * Queues the units `queue` makes while the committer runs a batch of its own (100 ms), so that
 * they form the next batch together; answers how each settled.
 */
async function nextBatch(committer: BatchCommitter, queue: () => Promise<unknown>[]): Promise<PromiseSettledResult<unknown>[]> {
  const blocker = committer.run((db) => sql`select pg_sleep(0.1)`.execute(db));
  await new Promise((resolve) => setTimeout(resolve, 20));
  const settled = await Promise.allSettled(queue());
  await blocker;
  return settled;
}

/** What PostgreSQL raises for the loser of a deadlock. */
const deadlock = (db: Kysely<Database>) => sql`do $$ begin raise exception 'deadlock detected' using errcode = '40P01'; end $$`.execute(db);

const statuses = (settled: PromiseSettledResult<unknown>[]) => settled.map((outcome) => outcome.status);
const txid = async (db: Kysely<Database>) => (await sql<{ id: string }>`select txid_current()::text as id`.execute(db)).rows[0]!.id;

describe('PostgreSQL batch commit', { skip: POSTGRES_SKIP }, () => {
  it('puts the units queued while a batch runs into the next batch: one transaction, answered after its commit', async (t) => {
    const { committer, labels } = await committerFor(t);
    const first = committer.run(async (db) => {
      await sql`select pg_sleep(0.2)`.execute(db);
      return txid(db);
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const committed: string[][] = [];
    const next = ['a', 'b', 'c'].map((label) =>
      committer
        .run(async (db) => {
          await write(db, label);
          return txid(db);
        })
        .then(async (id) => {
          committed.push(await labels());
          return id;
        }),
    );
    const [firstId, ...ids] = await Promise.all([first, ...next]);
    assert.equal(new Set(ids).size, 1, 'a, b and c share one transaction');
    assert.notEqual(ids[0], firstId);
    // Each caller hears back only once all three rows are committed.
    for (const seen of committed) assert.deepEqual(seen, ['a', 'b', 'c']);
  });

  it("sends the units' statements without waiting for each other: one unit's order kept, the units' interleaved", async (t) => {
    const { committer, labels } = await committerFor(t);
    const settled = await nextBatch(committer, () => [
      committer.run(async (db) => {
        await write(db, 'a1');
        await write(db, 'a2');
      }),
      committer.run((db) => write(db, 'b1')),
    ]);
    assert.deepEqual(statuses(settled), ['fulfilled', 'fulfilled']);
    // One after the other, a2 would come before b1.
    assert.deepEqual(await labels(), ['a1', 'b1', 'a2']);
  });

  it('splits a long queue into batches of maxBatch', async (t) => {
    const { committer, rows } = await committerFor(t, { maxBatch: 2 });
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((label) => committer.run((db) => write(db, label))));
    const batches = new Map<string, number>();
    for (const row of await rows()) batches.set(row.txid, (batches.get(row.txid) ?? 0) + 1);
    assert.deepEqual([...batches.values()].sort(), [1, 2, 2]);
  });

  it("fails the whole batch when one unit fails: every caller hears that unit's error, nothing is committed, the connection serves the next batch", async (t) => {
    const { committer, rows, labels } = await committerFor(t);
    const results = await nextBatch(committer, () => [
      committer.run((db) => write(db, 'a')),
      committer.run(async (db) => {
        await write(db, 'b');
        await sql`select 1 / 0`.execute(db);
      }),
      committer.run((db) => write(db, 'c')),
    ]);
    for (const result of results) {
      assert.equal(result.status, 'rejected');
      assert.equal((result.reason as { code?: string }).code, '22012', 'division_by_zero, not "transaction is aborted"');
    }
    assert.deepEqual(await rows(), []);
    await committer.run((db) => write(db, 'after'));
    assert.deepEqual(await labels(), ['after']);
  });

  it('fails a batch whose connection dies, and the next batch runs on a new one', async (t) => {
    const { committer, labels } = await committerFor(t);
    await assert.rejects(
      committer.run(async (db) => {
        await write(db, 'lost');
        await sql`select pg_terminate_backend(pg_backend_pid())`.execute(db);
      }),
    );
    await committer.run((db) => write(db, 'after'));
    assert.deepEqual(await labels(), ['after']);
  });

  it('starts the units of a batch in the order of their keys, so that two processes lock conferences in one order', async (t) => {
    const { committer, labels } = await committerFor(t);
    await nextBatch(committer, () => ['c', 'a', 'b'].map((key) => committer.run((db) => write(db, key), key)));
    assert.deepEqual(await labels(), ['a', 'b', 'c']);
  });

  it('runs a batch that lost a deadlock again: nothing of the first run was committed', async (t) => {
    const { committer, labels } = await committerFor(t);
    let runs = 0;
    const settled = await nextBatch(committer, () => [
      committer.run((db) => write(db, 'other')),
      committer.run(async (db) => {
        await write(db, `loser ${++runs}`);
        if (runs === 1) await deadlock(db);
      }),
    ]);
    assert.deepEqual(statuses(settled), ['fulfilled', 'fulfilled']);
    assert.equal(runs, 2);
    assert.deepEqual((await labels()).sort(), ['loser 2', 'other']);
  });

  it('gives up on a batch that keeps losing deadlocks, and says so to every caller', async (t) => {
    const { committer, rows } = await committerFor(t);
    await assert.rejects(committer.run(deadlock), { code: '40P01' });
    assert.deepEqual(await rows(), []);
  });

  it('fails the batch of a unit that throws before its first await, and lets no other unit outlive it', async (t) => {
    const { committer, labels } = await committerFor(t);
    const results = await nextBatch(committer, () => [
      committer.run(async (db) => {
        await sql`select pg_sleep(0.05)`.execute(db);
        await write(db, 'late');
      }),
      committer.run((() => {
        throw new Error('refused at once');
      }) as never),
    ]);
    assert.deepEqual(statuses(results), ['rejected', 'rejected']);
    await committer.run((db) => write(db, 'next'));
    assert.deepEqual(await labels(), ['next'], 'the late write ran neither alone nor in the next batch');
  });

  it('refuses a commit that PostgreSQL turned into a rollback (a unit that swallowed a database error)', async (t) => {
    const { committer, rows } = await committerFor(t);
    const answer = committer.run(async (db) => {
      await write(db, 'lost');
      await sql`select 1 / 0`.execute(db).catch(() => {});
    });
    await assert.rejects(answer, /rolled back/);
    assert.deepEqual(await rows(), []);
  });

  it('settles every unit of a batch before it ends, so no statement runs after the rollback', async (t) => {
    const { committer, rows } = await committerFor(t);
    const results = await nextBatch(committer, () => [
      committer.run(async () => {
        throw new Error('refused before writing');
      }),
      committer.run(async (db) => {
        // Still writing when the first unit has already failed.
        await sql`select pg_sleep(0.05)`.execute(db);
        await write(db, 'late');
      }),
    ]);
    assert.deepEqual(statuses(results), ['rejected', 'rejected']);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(await rows(), [], 'the late write neither committed nor ran on its own');
  });

  it('gives each statement of a batch of the backend at most BATCH_STATEMENT_MS, so a stuck one cannot hold every create', async (t) => {
    const database = await createTestDatabase('postgres');
    const store = openDatabase(database.url);
    t.after(async () => {
      await store.close();
      await database.drop();
    });
    const shown = await store.batch(async (db) => (await sql<{ statement_timeout: string }>`show statement_timeout`.execute(db)).rows[0]);
    assert.equal(shown?.statement_timeout, `${BATCH_STATEMENT_MS / 1000}s`);
  });
});
