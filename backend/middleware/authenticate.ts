import type { Request, RequestHandler, Response } from 'express';
import type { Conference, Scope } from '../../contract/index.js';
import { ApiError } from '../errors.js';
import { findApiKey, hashKey, type KeyRecord, touchApiKey } from '../services/api-keys.js';
import { getConference } from '../services/conferences.js';
import { isLive } from '../services/registration-config.js';
import type { Store } from '../storage/database.js';

export interface AuthContext {
  keyId: string;
  conferenceId: string;
  scopes: Set<string>;
}

/** The key from `X-API-Key: cat_…` or `Authorization: Bearer cat_…` (SPEC §2). */
function presentedKey(req: Request): string | undefined {
  const header = req.get('x-api-key');
  if (header) return header.trim();
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
  return bearer?.[1];
}

export function auth(res: Response): AuthContext {
  return res.locals.auth as AuthContext;
}

interface KnownKey {
  record: KeyRecord | null;
  conference: Conference | null;
  loadedAt: number;
}

/**
 * Authenticates the API key: 401 when missing, unknown, revoked or expired; 403
 * `conference_not_live` when its conference is a draft, has ended or its plan has ended
 * ("keys stop working automatically", seed 000). The key itself is never echoed.
 *
 * `cacheMs` keeps a key's record and its conference in memory for that long (two queries
 * fewer per request under load): a revocation or a conference change then takes effect
 * within `cacheMs`. Expiry is checked against the clock on every request. 0 turns it off.
 */
export function authenticate(deps: { store: Store; clock: () => Date; cacheMs: number }): RequestHandler {
  const cache = new Map<string, KnownKey>();

  async function lookUp(key: string, now: number): Promise<KnownKey> {
    const cacheKey = deps.cacheMs > 0 ? hashKey(key) : '';
    const hit = cacheKey ? cache.get(cacheKey) : undefined;
    if (hit && now - hit.loadedAt < deps.cacheMs) return hit;
    const record = await findApiKey(deps.store.db, key);
    const known = { record, conference: record ? await getConference(deps.store.db, record.conferenceId) : null, loadedAt: now };
    // Only real keys are kept, and never more than a bounded number of them.
    if (cacheKey && record) {
      if (cache.size >= 10_000) cache.clear();
      cache.set(cacheKey, known);
    }
    return known;
  }

  return async (req, res, next) => {
    const key = presentedKey(req);
    if (!key) throw new ApiError('missing_api_key', 'Send your API key in the X-API-Key header');
    const now = deps.clock();
    const { record, conference } = await lookUp(key, now.getTime());
    if (!record || record.revoked || (record.expiresAt && now.getTime() >= Date.parse(record.expiresAt))) {
      throw new ApiError('invalid_api_key', 'The API key is not valid: unknown, revoked or expired');
    }
    if (!conference || !isLive(conference, now)) {
      throw new ApiError('conference_not_live', 'This conference is not live, so its API keys do not work');
    }
    if (await touchApiKey(deps.store.db, record, now)) record.lastUsedAt = now.toISOString();
    res.locals.auth = { keyId: record.id, conferenceId: record.conferenceId, scopes: record.scopes } satisfies AuthContext;
    next();
  };
}

export function requireScope(scope: Scope): RequestHandler {
  return (_req, res, next) => {
    if (!auth(res).scopes.has(scope)) {
      throw new ApiError('insufficient_scope', `This API key lacks the ${scope} scope`, { required: scope });
    }
    next();
  };
}
