import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { Kysely } from 'kysely';
import { IdempotencyKey } from '../../contract/index.js';
import { ApiError } from '../errors.js';
import { claim, complete, requestHash, settle, type IdempotencyScope } from '../services/idempotency.js';
import type { Store } from '../storage/database.js';
import type { Database } from '../storage/schema.js';
import { auth } from './authenticate.js';

export interface IdempotencyOptions {
  store: Store;
  clock: () => Date;
  /** After how long an unfinished claim counts as abandoned by a dead process. */
  abandonedMs: number;
  /** The Location of a replayed answer (a 201 carries the one it had). */
  location: (req: Request, status: number, body: unknown) => string | undefined;
}

/** Stores the work's answer; called inside the transaction that does the work, so both commit together. */
export type RecordAnswer = (trx: Kysely<Database>, status: number, body: unknown) => Promise<void>;

const claims = new WeakMap<Response, IdempotencyScope>();

/** The `Idempotency-Key` of this request (SPEC §2: ≤ 255 printable characters), scoped to its API key. */
function scopeOf(req: Request, res: Response): IdempotencyScope | undefined {
  const header = req.get('idempotency-key');
  if (header === undefined) return undefined;
  const parsed = IdempotencyKey.safeParse(header);
  if (!parsed.success) throw ApiError.validation({ 'Idempotency-Key': parsed.error.issues.map((i) => i.message) });
  return { apiKeyId: auth(res).keyId, key: parsed.data };
}

/**
 * The Idempotency-Key protocol of a create route (SPEC §2), as two middlewares around the
 * work: `claim` before it and `settle` (an error middleware) after it, with the work
 * calling `recordAnswer(res)` in its own transaction on success.
 *
 * `claim` runs before the body is validated: a retry with another body is 422
 * `idempotency_key_reused` even when that body is invalid, and a 400 is kept and replayed.
 *
 * @example router.post('/things', jsonBody, keys.claim, validate(Thing), create, keys.settle)
 */
export function idempotencyKey(options: IdempotencyOptions): { claim: RequestHandler; settle: ErrorRequestHandler } {
  return {
    claim: async function claimIdempotencyKey(req, res, next) {
      const scope = scopeOf(req, res);
      if (!scope) return next();
      const claimed = await options.store.transact((trx) => claim(trx, scope, requestHash(req.body), options.clock(), options.abandonedMs));
      if (claimed.kind === 'new') {
        claims.set(res, scope);
        return next();
      }
      const location = options.location(req, claimed.status, claimed.body);
      res.status(claimed.status).set({ 'Idempotent-Replayed': 'true', 'Cache-Control': 'no-store' });
      if (location) res.location(location);
      res.json(claimed.body);
    },
    settle: async function settleIdempotencyKey(error, _req, res, next) {
      const scope = claims.get(res);
      if (scope) await settle(options.store, scope, error);
      next(error);
    },
  };
}

/** How the work stores its answer for this request's key; undefined when it has none. */
export function recordAnswer(res: Response): RecordAnswer | undefined {
  const scope = claims.get(res);
  return scope && ((trx, status, body) => complete(trx, scope, status, body));
}
