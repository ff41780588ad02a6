import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../backend/storage/schema.js';
import { createTestDatabase, POSTGRES_SKIP } from '../../helpers/database.js';

async function storeFor(t: TestContext) {
  const database = await createTestDatabase('postgres');
  const store = await database.open();
  t.after(async () => {
    await store.close();
    await database.drop();
  });
  return store;
}

/** The statements this connection has prepared by name (PostgreSQL's own view). */
const prepared = async (db: Kysely<Database>) =>
  (await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(db)).rows.map((row) => row.statement);

describe('PostgreSQL prepared statements', { skip: POSTGRES_SKIP }, () => {
  it('prepares a statement with parameters the second time its text runs, and reuses it after', async (t) => {
    const store = await storeFor(t);
    await store.transact(async (trx) => {
      const byNumber = (n: number) => sql<{ next: number }>`select ${n}::integer + 1 as next`.execute(trx);
      await byNumber(1);
      assert.equal((await prepared(trx)).filter((text) => text.includes('+ 1 as next')).length, 0, 'not after one run');
      await byNumber(2);
      assert.equal((await byNumber(3)).rows[0]?.next, 4);
      assert.equal((await prepared(trx)).filter((text) => text.includes('+ 1 as next')).length, 1);
    });
  });

  it('leaves statements without parameters (begin, commit) on the simple protocol', async (t) => {
    const store = await storeFor(t);
    await store.transact(async (trx) => {
      for (let i = 0; i < 3; i++) await sql`select 41 + 1 as answer`.execute(trx);
      assert.deepEqual(
        (await prepared(trx)).filter((text) => text.includes('41 + 1')),
        [],
      );
    });
  });

  it('prepares at most 256 texts, so a text that varies (a list of ids) cannot prepare without end', async (t) => {
    const store = await storeFor(t);
    await store.transact(async (trx) => {
      for (let n = 0; n < 300; n++) {
        const text = sql.raw(`select $1::integer + ${n} as v`);
        for (let run = 0; run < 2; run++) await trx.executeQuery({ ...sql`${text}`.compile(trx), parameters: [run] });
      }
      assert.equal((await prepared(trx)).length, 256);
    });
  });

  it('sends a statement whose plan went stale (a migration added a column) again unnamed, and never names it again', async (t) => {
    const store = await storeFor(t);
    const read = () => sql<Record<string, unknown>>`select * from conferences where id = ${'none'}`.execute(store.db);
    await read();
    await read(); // now prepared by name on the connection it ran on
    await sql`alter table conferences add column extra text`.execute(store.db);
    // The pool hands out the same idle connection again, whose prepared plan is now stale.
    const after = await read();
    assert.ok(after.rows.length === 0);
    // Named again, it would meet the stale plan inside a transaction, where it cannot be retried.
    await store.transact(async (trx) => {
      const inside = await sql<Record<string, unknown>>`select * from conferences where id = ${'none'}`.execute(trx);
      assert.equal(inside.rows.length, 0);
    });
  });
});
