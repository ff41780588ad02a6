import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { DIALECTS, createTestDatabase } from '../../helpers/database.js';

for (const { dialect, skip } of DIALECTS) {
  describe(`migrations on ${dialect}`, { skip }, () => {
    it('run on start, and a second run is a no-op', async () => {
      const database = await createTestDatabase(dialect);
      try {
        const first = await database.open();
        await first.close();
        const second = await database.open();
        const rows = await second.db.selectFrom('conferences').selectAll().execute();
        assert.deepEqual(rows, []);
        await second.close();
      } finally {
        await database.drop();
      }
    });

    it(
      'keep to their own schema when another app shares the database',
      {
        skip: dialect === 'sqlite' ? 'schemas are a PostgreSQL matter' : false,
      },
      async () => {
        // Another schema with kysely's tables, half-made, as a crashed neighbour would leave it.
        const neighbour = await createTestDatabase(dialect);
        const ours = await createTestDatabase(dialect);
        try {
          const other = await neighbour.open();
          await sql`drop table kysely_migration`.execute(other.db);
          await other.close();
          const store = await ours.open();
          const tables = await sql<{
            n: number;
          }>`select count(*)::int as n from information_schema.tables where table_schema = current_schema() and table_name in ('kysely_migration', 'kysely_migration_lock', 'registrations')`.execute(
            store.db,
          );
          assert.equal(tables.rows[0]?.n, 3);
          await store.close();
        } finally {
          await neighbour.drop();
          await ours.drop();
        }
      },
    );
  });
}
