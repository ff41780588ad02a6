import { readFileSync } from 'node:fs';
import { createApiKey, listApiKeys, revokeApiKey } from '../backend/services/api-keys.js';
import { createConference, getConference, updateConference } from '../backend/services/conferences.js';
import type { Kysely } from 'kysely';
import type { Database } from '../backend/storage/schema.js';

export const DEMO_ID = 'confera-demo';

/** The demo conference, its phases moved so that one is open today, whatever the date. */
export function demoConference(now: Date): Record<string, unknown> {
  const file = JSON.parse(readFileSync(new URL('./conference.json', import.meta.url), 'utf8'));
  const day = 24 * 3600 * 1000;
  const at = (days: number) => new Date(Math.floor(now.getTime() / day) * day + days * day).toISOString().replace('.000', '');
  const date = (days: number) => at(days).slice(0, 10);
  return {
    ...file,
    id: DEMO_ID,
    plan_ends_at: at(400),
    starts_on: date(170),
    ends_on: date(172),
    registration_closes_at: at(160),
    phases: [
      { id: 'early-bird', name: 'Early bird', starts_at: at(-30), ends_at: at(60) },
      { id: 'regular', name: 'Regular', starts_at: at(60), ends_at: at(160) },
    ],
  };
}

/**
 * The demo conference (created, or updated with today's dates) and a fresh key for it, the
 * previous demo keys revoked: what `npm start` and the end-to-end tests run on. Registrations
 * already made are kept.
 */
export async function seedDemo(db: Kysely<Database>, now: Date): Promise<string> {
  const { id: _id, ...doc } = demoConference(now);
  if (await getConference(db, DEMO_ID)) await updateConference(db, DEMO_ID, doc, now);
  else await createConference(db, { ...doc, id: DEMO_ID }, now);
  // A new key each start; the previous demo keys are revoked (keys are shown once).
  for (const key of await listApiKeys(db, DEMO_ID)) if (!key.revoked) await revokeApiKey(db, key.id, now);
  const { key } = await createApiKey(
    db,
    { conferenceId: DEMO_ID, scopes: ['registrations:read', 'registrations:write'], name: 'demo (npm start)' },
    now,
  );
  return key;
}
