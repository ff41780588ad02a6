import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { openDatabase } from '../../../backend/storage/database.js';
import type { Database } from '../../../backend/storage/schema.js';
import { createTestDatabase, POSTGRES_SKIP } from '../../helpers/database.js';

async function storeFor(t: TestContext) {
  const database = await createTestDatabase('postgres');
  const store = openDatabase(database.url);
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
      assert.deepEqual(await prepared(trx), []);
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
});
