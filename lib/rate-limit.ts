import type { Request, RequestHandler, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Logger } from './logger.js';

export interface RateLimitOptions {
  /** Requests per window; 0 turns the limit off. */
  limit: number;
  windowMs: number;
  logger: Logger;
  /** Whose budget a request spends; the library's default is the client IP (`req.ip`). */
  keyGenerator?: (req: Request, res: Response) => string;
  /** The error to pass on when the budget is spent, given the seconds until it refills. */
  refuse: (retryAfterSeconds: number) => Error;
}

/**
 * express-rate-limit as both servers use it: the standard `RateLimit` / `RateLimit-Policy`
 * headers (IETF draft 7), the retry time handed to `refuse`, counts in memory (per process).
 * The library's configuration checks stay on but report through our logger, one warn line
 * with the check's code: its own reporting prints an Error, stack and client IP, on stderr.
 */
export function createRateLimit(options: RateLimitOptions): RequestHandler {
  if (options.limit <= 0) return (_req, _res, next) => next();
  const report = (error: unknown) => {
    const { code, help } = (error ?? {}) as { code?: unknown; help?: unknown };
    options.logger.warn({ check: code, help }, 'rate limiter configuration check');
  };
  return rateLimit({
    windowMs: options.windowMs,
    limit: options.limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    validate: true,
    logger: { warn: report, error: report },
    ...(options.keyGenerator ? { keyGenerator: options.keyGenerator } : {}),
    handler: (req, _res, next) => {
      const resetTime = (req as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const retryAfter = Math.max(1, Math.ceil(((resetTime?.getTime() ?? Date.now() + options.windowMs) - Date.now()) / 1000));
      next(options.refuse(retryAfter));
    },
  });
}
