import { Migrator, sql, type Migration } from 'kysely';
import { initial } from './migrations/0001-initial.js';
import { namesWithoutIgnorables } from './migrations/0002-names-without-ignorables.js';
import type { Store } from './database.js';

/** The one list of migrations, for SQLite and PostgreSQL alike; append, never edit. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-names-without-ignorables': namesWithoutIgnorables,
};

/**
 * Brings the schema up to date; kysely's migration lock makes concurrent starts safe.
 * On PostgreSQL the migration tables are pinned to the current schema: unpinned, kysely
 * looks for them in every schema and takes another app's (or another test's) as ours.
 * `to` stops at an older migration: the tests of a data migration need the rows before it.
 */
export async function migrate({ db, dialect }: Pick<Store, 'db' | 'dialect'>, to?: string): Promise<void> {
  let migrationTableSchema: string | undefined;
  if (dialect === 'postgres') {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
    migrationTableSchema = rows[0]?.schema;
  }
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => MIGRATIONS },
    ...(migrationTableSchema ? { migrationTableSchema } : {}),
  });
  const { error } = await (to ? migrator.migrateTo(to) : migrator.migrateToLatest());
  if (error) throw error;
}
