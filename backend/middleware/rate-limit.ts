import type { RequestHandler } from 'express';
import type { Logger } from '../../lib/logger.js';
import { createRateLimit } from '../../lib/rate-limit.js';
import { ApiError } from '../errors.js';
import { auth } from './authenticate.js';

/**
 * Requests per API key per minute (after authentication, so one noisy integration cannot
 * starve another). A proxy sends all of a conference's visitors through one key, so the
 * default is generous; 0 turns it off. The store is per process: with N processes the
 * effective limit is N times this (docs/decisions.md).
 */
export function rateLimitPerKey(perMinute: number, logger: Logger): RequestHandler {
  return createRateLimit({
    limit: perMinute,
    windowMs: 60_000,
    logger,
    keyGenerator: (_req, res) => auth(res).keyId,
    refuse: (retryAfter) =>
      new ApiError(
        'rate_limited',
        'Too many requests for this API key; retry later',
        { retry_after_seconds: retryAfter },
        { 'Retry-After': String(retryAfter) },
      ),
  });
}
