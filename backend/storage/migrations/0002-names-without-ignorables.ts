import type { Kysely, Migration } from 'kysely';
import { stripIgnorable } from '../../../contract/names.js';
import { identityHash } from '../../services/identity.js';

interface Row {
  id: string;
  conference_id: string;
  identity_hash: string;
  first_name: string;
  last_name: string;
  email: string;
}

/** A stored name as the contract now stores it (contract/registration.ts); never emptied. */
const visible = (name: string) => stripIgnorable(name).trim() || name;

/**
 * Issue 15 item 6 changed the duplicate key (default ignorables stripped, full case folding)
 * and strips those code points from names before they are stored. Rows written before that
 * get the same treatment, or "Jo\u200Bsé" stored last year would not stop "José" today.
 *
 * Two old rows may now share a key: the old rule let both in. Both stay; the one whose key
 * did not change, or else the earlier, holds the new key and refuses the next José, and the
 * other keeps its old one. The keys in use are tracked row by row, so no update ever meets
 * the unique index.
 */
export const namesWithoutIgnorables: Migration = {
  async up(db: Kysely<any>) {
    const run = async (trx: Kysely<any>) => {
      const rows: Row[] = await trx
        .selectFrom('registrations')
        .select(['id', 'conference_id', 'identity_hash', 'first_name', 'last_name', 'email'])
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      const inUse = new Set(rows.map((row) => `${row.conference_id}\u0000${row.identity_hash}`));
      for (const row of rows) {
        const firstName = visible(row.first_name);
        const lastName = visible(row.last_name);
        let hash = identityHash(firstName, lastName, row.email);
        const key = `${row.conference_id}\u0000${hash}`;
        if (hash !== row.identity_hash && inUse.has(key)) hash = row.identity_hash;
        else if (hash !== row.identity_hash) {
          inUse.delete(`${row.conference_id}\u0000${row.identity_hash}`);
          inUse.add(key);
        }
        if (hash === row.identity_hash && firstName === row.first_name && lastName === row.last_name) continue;
        await trx
          .updateTable('registrations')
          .set({ identity_hash: hash, first_name: firstName, last_name: lastName })
          .where('id', '=', row.id)
          .execute();
      }
    };
    // PostgreSQL runs migrations in a transaction already; SQLite does not (kysely: no transactional DDL).
    if (db.isTransaction) await run(db);
    else await db.transaction().execute(run);
  },
  // The old key cannot be told from the new one: nothing to undo that would help.
  async down() {},
};
