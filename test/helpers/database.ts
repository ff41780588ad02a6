import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Store, type StoreOptions } from '../../backend/storage/database.js';
import { migrate } from '../../backend/storage/migrate.js';

export type TestDialect = 'sqlite' | 'postgres';

/** PostgreSQL suites run when TEST_DATABASE_URL is set (CI sets it) and say so when skipped. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;
export const POSTGRES_SKIP = TEST_DATABASE_URL ? false : 'TEST_DATABASE_URL is not set: PostgreSQL suite skipped';

/** `for (const { dialect, skip } of DIALECTS) describe(`on ${dialect}`, { skip }, …)` */
export const DIALECTS: { dialect: TestDialect; skip: string | false }[] = [
  { dialect: 'sqlite', skip: false },
  { dialect: 'postgres', skip: POSTGRES_SKIP },
];

export interface TestDatabase {
  /** A DATABASE_URL for this database, for child processes and the admin CLI. */
  url: string;
  /** Opens a new handle, migrated. */
  open(options?: StoreOptions): Promise<Store>;
  drop(): Promise<void>;
}

/**
 * kysely's migrator introspects the tables of every schema in the database; a test run that
 * drops its schema at that moment makes the catalog query fail ("schema … does not exist").
 * That is a race between test runs sharing one PostgreSQL, not a fault of ours: retry it.
 */
async function openMigrated(url: string, options: StoreOptions = {}): Promise<Store> {
  for (let attempt = 1; ; attempt++) {
    const store = openDatabase(url, options);
    try {
      await migrate(store);
      return store;
    } catch (error) {
      await store.close();
      const code = (error as { code?: string }).code;
      if (attempt >= 3 || (code !== '3F000' && code !== '42P01')) throw error;
    }
  }
}

/**
 * A fresh, empty database per test: a SQLite file in a temporary folder, or a PostgreSQL
 * schema of its own (selected through `search_path`), so tests never share state.
 */
export async function createTestDatabase(dialect: TestDialect): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'confera-test-'));
    const url = `sqlite:${join(dir, 'confera.db')}`;
    return {
      url,
      open: (options) => openMigrated(url, options),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    open: (options) => openMigrated(url.toString(), options),
    drop: async () => {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      await client.query(`drop schema ${schema} cascade`);
      await client.end();
    },
  };
}
