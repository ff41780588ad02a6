import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import stringify from 'safe-stable-stringify';
import { ApiError } from '../errors.js';
import type { Store } from '../storage/database.js';
import type { Database } from '../storage/schema.js';

/** How long a key is remembered (SPEC §2). */
export const KEEP_MS = 24 * 60 * 60 * 1000;
/**
 * A claim still `in_flight` after this long belongs to a process that died mid-request
 * (its transaction rolled back). Without this, a crash would lock the key for 24 hours.
 */
export const ABANDONED_MS = 60 * 1000;

export interface IdempotencyScope {
  apiKeyId: string;
  key: string;
}

/** Same body = same JSON value, whatever the key order or white space. */
export function requestHash(body: unknown): string {
  return createHash('sha256')
    .update(stringify(body) ?? '')
    .digest('hex');
}

/** 409 while the first request with the key runs; the retry time in the header and the body. */
function inUse(): ApiError {
  return new ApiError(
    'idempotency_key_in_use',
    'A request with this Idempotency-Key is still being processed; retry shortly',
    { retry_after_seconds: 1 },
    { 'Retry-After': '1' },
  );
}

export type Claim = { kind: 'new' } | { kind: 'replay'; status: number; body: unknown };

/**
 * Claims a key before the work starts, in its own committed statement so that a concurrent
 * request with the same key sees it. Replays a finished answer, refuses a reused key with
 * another body (422) and a key whose first request is still running (409).
 */
export async function claim(
  db: Kysely<Database>,
  scope: IdempotencyScope,
  hash: string,
  now: Date,
  abandonedMs: number = ABANDONED_MS,
): Promise<Claim> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const inserted = await db
      .insertInto('idempotency_keys')
      .values({
        api_key_id: scope.apiKeyId,
        key: scope.key,
        request_hash: hash,
        state: 'in_flight',
        response_status: null,
        response_body: null,
        created_at: now.toISOString(),
      })
      .onConflict((oc) => oc.columns(['api_key_id', 'key']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return { kind: 'new' };

    const row = await db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('api_key_id', '=', scope.apiKeyId)
      .where('key', '=', scope.key)
      .executeTakeFirst();
    if (!row) continue; // released or expired between the two statements: try again
    const age = now.getTime() - Date.parse(row.created_at);
    const stale = age >= KEEP_MS || (row.state === 'in_flight' && age >= abandonedMs);
    if (stale) {
      await db
        .deleteFrom('idempotency_keys')
        .where('api_key_id', '=', scope.apiKeyId)
        .where('key', '=', scope.key)
        .where('created_at', '=', row.created_at)
        .execute();
      continue;
    }
    if (row.request_hash !== hash) {
      throw new ApiError('idempotency_key_reused', 'This Idempotency-Key was used with a different request body');
    }
    if (row.state === 'in_flight') {
      throw inUse();
    }
    return { kind: 'replay', status: row.response_status!, body: JSON.parse(row.response_body!) };
  }
  throw inUse();
}

/** Stores the final answer; called inside the registration's own transaction on success. */
export async function complete(db: Kysely<Database>, scope: IdempotencyScope, status: number, body: unknown): Promise<void> {
  await db
    .updateTable('idempotency_keys')
    .set({ state: 'done', response_status: status, response_body: JSON.stringify(body) })
    .where('api_key_id', '=', scope.apiKeyId)
    .where('key', '=', scope.key)
    .execute();
}

/**
 * Settles a claim whose work threw. A refusal (4xx) is the answer to this body: it is kept
 * and replayed like a success. A failure on our side (5xx) is not an answer: the claim is
 * dropped so that a retry can work.
 */
export async function settle(store: Store, scope: IdempotencyScope, error: unknown): Promise<void> {
  if (error instanceof ApiError && error.status < 500) await store.transact((trx) => complete(trx, scope, error.status, error.toBody()));
  else await store.transact((trx) => release(trx, scope)).catch(() => {});
}

/** Forgets a claim whose request failed on our side (5xx), so that the client may retry. */
export async function release(db: Kysely<Database>, scope: IdempotencyScope): Promise<void> {
  await db
    .deleteFrom('idempotency_keys')
    .where('api_key_id', '=', scope.apiKeyId)
    .where('key', '=', scope.key)
    .where('state', '=', 'in_flight')
    .execute();
}

/** Drops keys older than 24 h; the server runs this now and then. */
export async function sweep(db: Kysely<Database>, now: Date): Promise<void> {
  await db
    .deleteFrom('idempotency_keys')
    .where('created_at', '<', new Date(now.getTime() - KEEP_MS).toISOString())
    .execute();
}
