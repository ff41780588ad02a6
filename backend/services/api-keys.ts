import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Scope } from '../../contract/index.js';
import type { Database } from '../storage/schema.js';

/**
 * Key format (SPEC §2): `cat_` + 36 random base62 characters + a 6-character base62 CRC-32
 * of them: 46 characters in all. The fixed prefix and length let a secret scanner find
 * leaked keys; the checksum lets it (and us, before any database look-up) tell a real key
 * from a typo. 36 base62 characters hold 214 bits, so one SHA-256 is a safe hash to store.
 */
export const KEY_PREFIX = 'cat_';
const RANDOM_LENGTH = 36;
const CHECKSUM_LENGTH = 6;
export const KEY_LENGTH = KEY_PREFIX.length + RANDOM_LENGTH + CHECKSUM_LENGTH;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const KEY_SHAPE = new RegExp(`^${KEY_PREFIX}[0-9A-Za-z]{${RANDOM_LENGTH + CHECKSUM_LENGTH}}$`);

function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // 248 = 4 × 62: rejecting higher bytes keeps every character equally likely.
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(text: string): number {
  let crc = 0xffffffff;
  for (const byte of Buffer.from(text, 'ascii')) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function checksum(random: string): string {
  let n = crc32(random);
  let out = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

export function generateApiKey(): string {
  const random = randomBase62(RANDOM_LENGTH);
  return KEY_PREFIX + random + checksum(random);
}

/** Shape and checksum only: true does not mean the key exists. */
export function isWellFormedKey(key: string): boolean {
  if (!KEY_SHAPE.test(key)) return false;
  const random = key.slice(KEY_PREFIX.length, KEY_PREFIX.length + RANDOM_LENGTH);
  return checksum(random) === key.slice(KEY_PREFIX.length + RANDOM_LENGTH);
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export interface CreateKeyInput {
  conferenceId: string;
  scopes: Scope[];
  name?: string;
  expiresAt?: string | null;
}

export interface KeySummary {
  id: string;
  conference_id: string;
  name: string;
  scopes: Scope[];
  hint: string;
  expires_at: string | null;
  revoked: boolean;
  revoked_at: string | null;
  last_used_at: string | null;
  created_at: string;
}

export async function createApiKey(db: Kysely<Database>, input: CreateKeyInput, now: Date): Promise<{ id: string; key: string }> {
  const key = generateApiKey();
  const id = `k_${randomBase62(16)}`;
  await db
    .insertInto('api_keys')
    .values({
      id,
      conference_id: input.conferenceId,
      name: input.name ?? 'default',
      scopes: [...new Set(input.scopes)].join(','),
      key_hash: hashKey(key),
      key_hint: key.slice(0, KEY_PREFIX.length + 4),
      expires_at: input.expiresAt ?? null,
      revoked_at: null,
      last_used_at: null,
      created_at: now.toISOString(),
    })
    .execute();
  return { id, key };
}

export async function listApiKeys(db: Kysely<Database>, conferenceId: string): Promise<KeySummary[]> {
  const rows = await db
    .selectFrom('api_keys')
    .selectAll()
    .where('conference_id', '=', conferenceId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    conference_id: row.conference_id,
    name: row.name,
    scopes: row.scopes.split(',').filter(Boolean) as Scope[],
    hint: `${row.key_hint}…`,
    expires_at: row.expires_at,
    revoked: row.revoked_at !== null,
    revoked_at: row.revoked_at,
    last_used_at: row.last_used_at,
    created_at: row.created_at,
  }));
}

/** Revokes a key; false when there is no such key. Revoking twice keeps the first time. */
export async function revokeApiKey(db: Kysely<Database>, id: string, now: Date): Promise<boolean> {
  const found = await db.selectFrom('api_keys').select('id').where('id', '=', id).executeTakeFirst();
  if (!found) return false;
  await db.updateTable('api_keys').set({ revoked_at: now.toISOString() }).where('id', '=', id).where('revoked_at', 'is', null).execute();
  return true;
}

export interface KeyRecord {
  id: string;
  conferenceId: string;
  scopes: Set<string>;
  expiresAt: string | null;
  revoked: boolean;
  lastUsedAt: string | null;
}

/** Finds the key by its hash, then compares the hashes in constant time (SPEC §2). */
export async function findApiKey(db: Kysely<Database>, key: string): Promise<KeyRecord | null> {
  if (!isWellFormedKey(key)) return null;
  const hash = hashKey(key);
  const row = await db.selectFrom('api_keys').selectAll().where('key_hash', '=', hash).executeTakeFirst();
  if (!row || !timingSafeEqual(Buffer.from(row.key_hash, 'hex'), Buffer.from(hash, 'hex'))) return null;
  return {
    id: row.id,
    conferenceId: row.conference_id,
    scopes: new Set(row.scopes.split(',')),
    expiresAt: row.expires_at,
    revoked: row.revoked_at !== null,
    lastUsedAt: row.last_used_at,
  };
}

/** Last-used time, written at most once a minute per key so that reads stay reads. */
export async function touchApiKey(db: Kysely<Database>, record: KeyRecord, now: Date): Promise<boolean> {
  if (record.lastUsedAt && now.getTime() - Date.parse(record.lastUsedAt) < 60_000) return false;
  await db.updateTable('api_keys').set({ last_used_at: now.toISOString() }).where('id', '=', record.id).execute();
  return true;
}

export { randomBase62 };
