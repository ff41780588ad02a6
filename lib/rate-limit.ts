import type { Request, RequestHandler, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { memoryCounters, type Counters } from './counters.js';
import type { Logger } from './logger.js';

export interface RateLimitOptions {
  /** Requests per window; 0 turns the limit off. */
  limit: number;
  windowMs: number;
  logger: Logger;
  /** Whose budget a request spends; the library's default is the client IP (`req.ip`). */
  keyGenerator?: (req: Request, res: Response) => string;
  /** Requests that spend no budget of this limiter. */
  skip?: (req: Request, res: Response) => boolean;
  /** The error to pass on when the budget is spent, given the seconds until it refills. */
  refuse: (retryAfterSeconds: number) => Error;
  /** Where the counts live (lib/counters.ts); default: memory, per process. */
  counters?: Counters;
  /** This limiter's keys in a shared store (each limiter needs its own). */
  name: string;
}

/**
 * express-rate-limit as both servers use it: the standard `RateLimit` / `RateLimit-Policy`
 * headers (IETF draft 7), the retry time handed to `refuse`, counts in memory or in Redis
 * (`counters`). A store that fails lets the request through (`passOnStoreError`: SPEC §3e,
 * fail open) and tells `counters`, which warns at most once a minute. The library's
 * configuration checks stay on but report through our logger, one warn line with the
 * check's code: its own reporting prints an Error, stack and client IP, on stderr.
 */
export function createRateLimit(options: RateLimitOptions): RequestHandler {
  if (options.limit <= 0) return (_req, _res, next) => next();
  const counters = options.counters ?? memoryCounters;
  const report = (error: unknown) => {
    const { code, help } = (error ?? {}) as { code?: unknown; help?: unknown };
    // The library's own checks carry an ERR_ERL_ code; anything else came from the store.
    if (typeof code === 'string' && code.startsWith('ERR_ERL_'))
      options.logger.warn({ check: code, help }, 'rate limiter configuration check');
    else counters.failed(error);
  };
  const store = counters.store(`confera:${options.name}:`);
  return rateLimit({
    windowMs: options.windowMs,
    limit: options.limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    validate: true,
    passOnStoreError: true,
    logger: { warn: report, error: report },
    ...(store ? { store } : {}),
    ...(options.keyGenerator ? { keyGenerator: options.keyGenerator } : {}),
    ...(options.skip ? { skip: options.skip } : {}),
    handler: (req, _res, next) => {
      const resetTime = (req as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const retryAfter = Math.max(1, Math.ceil(((resetTime?.getTime() ?? Date.now() + options.windowMs) - Date.now()) / 1000));
      next(options.refuse(retryAfter));
    },
  });
}
