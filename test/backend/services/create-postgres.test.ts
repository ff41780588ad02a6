import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { CreateRegistration } from '../../../contract/index.js';
import { ApiError } from '../../../backend/errors.js';
import { createRegistration } from '../../../backend/services/registrations.js';
import type { Store } from '../../../backend/storage/database.js';
import { person, seedConference } from '../../helpers/backend.js';
import { createTestDatabase, POSTGRES_SKIP } from '../../helpers/database.js';

describe('the PostgreSQL create, decided on a document that keeps changing', { skip: POSTGRES_SKIP }, () => {
  it('gives up after its rounds with an unexpected error, not event_full, and stores nothing', async (t) => {
    const database = await createTestDatabase('postgres');
    const store = await database.open().catch(async (error: unknown) => {
      await database.drop();
      throw error;
    });
    t.after(async () => {
      await store.close();
      await database.drop();
    });
    const { conferenceId } = await seedConference(store);
    let batches = 0;
    // An organiser's edit lands between the decision and every claim (JSON allows the space).
    const edited: Store = {
      ...store,
      batch: (work, key) =>
        store.batch(async (trx) => {
          batches++;
          await sql`update conferences set doc = doc || ' ' where id = ${conferenceId}`.execute(trx);
          return work(trx);
        }, key),
    };
    const body = CreateRegistration.parse(person('edited'));
    await assert.rejects(
      createRegistration({ store: edited, conferenceId, apiKeyId: null, now: new Date() }, body),
      (error: Error) => !(error instanceof ApiError) && /changed during every attempt/.test(error.message),
    );
    assert.equal(batches, 11);
    const stored = await store.db.selectFrom('registrations').select('id').where('conference_id', '=', conferenceId).execute();
    assert.deepEqual(stored, []);
    const seats = await store.db.selectFrom('conferences').select('registered_count').where('id', '=', conferenceId).executeTakeFirst();
    assert.equal(Number(seats?.registered_count), 0);
    // Left alone, the same create goes through.
    assert.equal((await createRegistration({ store, conferenceId, apiKeyId: null, now: new Date() }, body)).email, body.email);
  });
});
