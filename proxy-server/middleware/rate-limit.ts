import { rateLimit } from 'express-rate-limit';
import type { RequestHandler } from 'express';
import type { Logger } from '../../lib/logger.js';
import { ProxyError } from '../errors.js';

export interface SubmitRateLimitOptions {
  /** Submits per client IP per window; 0 turns the limit off. */
  limit: number;
  windowMs: number;
}

/**
 * Submits per client IP (SPEC §3), with the standard `RateLimit` / `RateLimit-Policy`
 * headers (IETF draft 7) and `Retry-After` on the refusal. The client IP is `req.ip`, so it
 * honours `TRUST_PROXY`; IPv6 clients are grouped by /56 (the library's default), or one
 * person could rotate through their own addresses. The JSON and the JSONP submit share one
 * instance, and so one budget. Counts live in memory: per process (docs/proxy.md).
 *
 * The library's configuration checks stay on, but report through `logger` (one warn line with
 * the check's code, once per check) instead of printing an error with its stack on stderr.
 * The one an operator may meet is `ERR_ERL_UNEXPECTED_X_FORWARDED_FOR`: X-Forwarded-For
 * arrived while `TRUST_PROXY` is unset, which is harmless when clients connect directly and a
 * misconfiguration behind a load balancer (every client would share the balancer's budget).
 *
 * @example router.post('/api/registration', submitRateLimit({ limit: 10, windowMs: 60_000 }, logger), …)
 */
export function submitRateLimit(options: SubmitRateLimitOptions, logger: Logger): RequestHandler {
  if (options.limit <= 0) return (_req, _res, next) => next();
  // The library passes an Error (its message can quote the client's IP): log its code only.
  const report = (error: unknown) => {
    const { code, help } = (error ?? {}) as { code?: unknown; help?: unknown };
    logger.warn({ check: code, help }, 'rate limiter configuration check');
  };
  return rateLimit({
    windowMs: options.windowMs,
    limit: options.limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    // Every check on (the default); what they find goes to our logger, never to stderr.
    validate: true,
    logger: { warn: report, error: report },
    handler: (req, _res, next) => {
      const resetTime = (req as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const retryAfter = Math.max(1, Math.ceil(((resetTime?.getTime() ?? Date.now() + options.windowMs) - Date.now()) / 1000));
      next(
        new ProxyError(429, 'rate_limited', `Too many registrations from this network; please retry in ${retryAfter} seconds`, {
          details: { retry_after_seconds: retryAfter },
          headers: { 'Retry-After': String(retryAfter) },
        }),
      );
    },
  });
}
