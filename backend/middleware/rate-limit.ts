import { rateLimit } from 'express-rate-limit';
import type { RequestHandler } from 'express';
import { ApiError } from '../errors.js';
import { auth } from './authenticate.js';

/**
 * Requests per API key per minute (after authentication, so one noisy integration cannot
 * starve another). A proxy sends all of a conference's visitors through one key, so the
 * default is generous; 0 turns it off. The store is per process: with N processes the
 * effective limit is N times this (docs/decisions.md).
 */
export function rateLimitPerKey(perMinute: number): RequestHandler {
  if (perMinute <= 0) return (_req, _res, next) => next();
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    // Keyed by API key, not IP; its IP checks would print warnings (with stacks) outside our logger.
    validate: false,
    keyGenerator: (_req, res) => auth(res).keyId,
    handler: (_req, res, next) => {
      const resetTime = (_req as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const retryAfter = Math.max(1, Math.ceil(((resetTime?.getTime() ?? Date.now() + 60_000) - Date.now()) / 1000));
      res.set('Retry-After', String(retryAfter));
      next(new ApiError('rate_limited', 'Too many requests for this API key; retry later', { retry_after_seconds: retryAfter }));
    },
  });
}
