import { Migrator, type Kysely, type Migration } from 'kysely';
import { initial } from './migrations/0001-initial.js';
import type { Database } from './schema.js';

/** The one list of migrations, for SQLite and PostgreSQL alike; append, never edit. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': initial,
};

/** Brings the schema up to date; kysely's migration lock makes concurrent starts safe. */
export async function migrate(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
}
