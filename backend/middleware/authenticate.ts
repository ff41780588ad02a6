import type { Request, RequestHandler, Response } from 'express';
import type { Scope } from '../../contract/index.js';
import { ApiError } from '../errors.js';
import { findApiKey, touchApiKey } from '../services/api-keys.js';
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

/**
 * Authenticates the API key: 401 when missing, unknown, revoked or expired; 403
 * `conference_not_live` when its conference is a draft, has ended or its plan has ended
 * ("keys stop working automatically", seed 000). The key itself is never echoed.
 */
export function authenticate(deps: { store: Store; clock: () => Date }): RequestHandler {
  return async (req, res, next) => {
    const key = presentedKey(req);
    if (!key) throw new ApiError('missing_api_key', 'Send your API key in the X-API-Key header');
    const record = await findApiKey(deps.store.db, key);
    const now = deps.clock();
    if (!record || record.revoked || (record.expiresAt && now.getTime() >= Date.parse(record.expiresAt))) {
      throw new ApiError('invalid_api_key', 'The API key is not valid: unknown, revoked or expired');
    }
    const conference = await getConference(deps.store.db, record.conferenceId);
    if (!conference || !isLive(conference, now)) {
      throw new ApiError('conference_not_live', 'This conference is not live, so its API keys do not work');
    }
    await touchApiKey(deps.store.db, record, now);
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
