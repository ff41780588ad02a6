import type { Kysely } from 'kysely';
import { ConferenceFile, describeIssues, type Conference } from '../../contract/index.js';
import { ApiError } from '../errors.js';
import { isUniqueViolation } from '../storage/database.js';
import type { Database } from '../storage/schema.js';
import { randomBase62 } from './api-keys.js';

/** Validates a conference file; errors name the path of each bad value (`phases[0].ends_at`). */
export function parseConferenceFile(input: unknown): ConferenceFile {
  const parsed = ConferenceFile.safeParse(input);
  if (parsed.success) return parsed.data;
  const fields: Record<string, string[]> = {};
  for (const { path, message } of describeIssues(parsed.error)) (fields[path || '(file)'] ??= []).push(message);
  throw ApiError.validation(fields, 'The conference file is not valid');
}

/**
 * RFC 7396 JSON merge patch: objects merge key by key, `null` removes a key, anything else
 * (arrays included) replaces. What `conference update --file patch.json` applies. Built
 * through a Map: a `__proto__` key of the JSON is data, never the result's prototype.
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const result = new Map(target && typeof target === 'object' && !Array.isArray(target) ? Object.entries(target) : []);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) result.delete(key);
    else result.set(key, mergePatch(result.get(key), value));
  }
  return Object.fromEntries(result);
}

function toConference(row: { id: string; doc: string }): Conference {
  return { ...(JSON.parse(row.doc) as ConferenceFile), id: row.id };
}

export async function getConference(db: Kysely<Database>, id: string): Promise<Conference | null> {
  const row = await db.selectFrom('conferences').select(['id', 'doc']).where('id', '=', id).executeTakeFirst();
  return row ? toConference(row) : null;
}

export async function requireConference(db: Kysely<Database>, id: string): Promise<Conference> {
  const conference = await getConference(db, id);
  if (!conference) throw new ApiError('not_found', `No conference with id "${id}"`);
  return conference;
}

export async function createConference(db: Kysely<Database>, input: unknown, now: Date): Promise<Conference> {
  const file = parseConferenceFile(input);
  const { id: requestedId, ...doc } = file;
  const id = requestedId ?? `c_${randomBase62(12)}`;
  try {
    await db
      .insertInto('conferences')
      .values({ id, doc: JSON.stringify(doc), status: doc.status, created_at: now.toISOString(), updated_at: now.toISOString() })
      .execute();
  } catch (error) {
    if (isUniqueViolation(error))
      throw ApiError.validation({ id: [`A conference with id "${id}" exists`] }, 'The conference file is not valid');
    throw error;
  }
  return { ...doc, id };
}

/** Applies a merge patch to a stored conference and validates the whole result. */
export async function updateConference(db: Kysely<Database>, id: string, patch: unknown, now: Date): Promise<Conference> {
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) {
    throw ApiError.validation({ '(file)': ['Must be a JSON object'] }, 'The patch file is not valid');
  }
  if ('id' in patch) throw ApiError.validation({ id: ['The id cannot be changed'] }, 'The patch file is not valid');
  return db.transaction().execute(async (trx) => {
    const current = await requireConference(trx, id);
    const { id: _id, ...currentDoc } = current;
    const { id: _ignored, ...doc } = parseConferenceFile(mergePatch(currentDoc, patch));
    await trx
      .updateTable('conferences')
      .set({ doc: JSON.stringify(doc), status: doc.status, updated_at: now.toISOString() })
      .where('id', '=', id)
      .execute();
    return { ...doc, id };
  });
}
