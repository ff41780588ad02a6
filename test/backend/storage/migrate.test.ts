import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { createConference } from '../../../backend/services/conferences.js';
import { identityHash } from '../../../backend/services/identity.js';
import { openDatabase } from '../../../backend/storage/database.js';
import { migrate } from '../../../backend/storage/migrate.js';
import type { RegistrationTable } from '../../../backend/storage/schema.js';
import { conferenceFile } from '../../helpers/backend.js';
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

/** The duplicate key as the first release computed it: no stripping, ẞ left alone. */
function firstReleaseHash(...parts: string[]): string {
  const normalise = (value: string) => value.normalize('NFKC').trim().replace(/\s+/gu, ' ').toUpperCase().toLowerCase().normalize('NFKC');
  return createHash('sha256').update(parts.map(normalise).join('\u0000')).digest('hex');
}

function row(conferenceId: string, n: number, firstName: string, lastName: string): RegistrationTable {
  const email = 'jose.strauss@example.org';
  return {
    id: `r_${n}`,
    conference_id: conferenceId,
    reference: `CNF-00000${n}`,
    identity_hash: firstReleaseHash(firstName, lastName, email),
    first_name: firstName,
    last_name: lastName,
    email,
    ticket_type_id: 'free',
    ticket_type_name: 'Free pass',
    payment_method_id: null,
    payment_reference: null,
    payment_proof_url: null,
    custom_fields: '{}',
    region: null,
    price_amount: 0,
    price_currency: 'EUR',
    phase_id: 'early-bird',
    status: 'confirmed',
    api_key_id: null,
    created_at: `2026-12-0${n}T00:00:00.000Z`,
  };
}

for (const { dialect, skip } of DIALECTS) {
  describe(`migration 0002 (names without ignorables) on ${dialect}`, { skip }, () => {
    it('strips stored names and gives old rows the new duplicate key, held once by each person', async (t) => {
      const database = await createTestDatabase(dialect);
      t.after(() => database.drop());
      const store = openDatabase(database.url);
      t.after(() => store.close());
      await migrate(store, '0001-initial');
      const { id } = await createConference(store.db, conferenceFile(), new Date());
      // Rows the first release let in: José with an invisible space, and the same person twice.
      const rows = [
        row(id, 1, 'Jo\u200Bsé', 'Lopez'),
        row(id, 2, 'José', 'STRAUẞ'),
        row(id, 3, 'José', 'Strauß'),
        row(id, 4, 'Jo\u200Dsé', 'Lopez'),
      ];
      await store.db.insertInto('registrations').values(rows).execute();

      await migrate(store);

      const after = await store.db
        .selectFrom('registrations')
        .select(['id', 'first_name', 'last_name', 'identity_hash'])
        .orderBy('id')
        .execute();
      const email = 'jose.strauss@example.org';
      assert.deepEqual(after, [
        { id: 'r_1', first_name: 'José', last_name: 'Lopez', identity_hash: identityHash('José', 'Lopez', email) },
        // Strauß's key did not change, so it holds the new one; STRAUẞ, let in twice, keeps its old key.
        { id: 'r_2', first_name: 'José', last_name: 'STRAUẞ', identity_hash: rows[1]!.identity_hash },
        { id: 'r_3', first_name: 'José', last_name: 'Strauß', identity_hash: identityHash('José', 'STRAUẞ', email) },
        // The later of two twins whose keys both change keeps its old key, stripped name and all.
        { id: 'r_4', first_name: 'José', last_name: 'Lopez', identity_hash: rows[3]!.identity_hash },
      ]);
    });
  });
}
