import type { RequestHandler } from 'express';
import type { Counters } from '../../lib/counters.js';
import type { Logger } from '../../lib/logger.js';
import { createRateLimit } from '../../lib/rate-limit.js';
import { ProxyError } from '../errors.js';

export interface SubmitRateLimitOptions {
  /** Submits per client IP per window; 0 turns the limit off. */
  limit: number;
  windowMs: number;
}

/**
 * Submits per client IP (SPEC §3), with the standard `RateLimit` / `RateLimit-Policy`
 * headers (IETF draft 7) and `Retry-After` on the refusal. The client IP is `req.ip`, so it
 * honours `TRUST_PROXY`, and it is always an IP address (lib's `addressOnlyIp`: a trusted hop's
 * `notanip` counts as the hop); IPv6 clients are grouped by /56 (the library's default), or one person could
 * rotate through their own addresses. The JSON and the JSONP submit share one instance, and
 * so one budget. Counts live in memory (per process) or, with `REDIS_URL`, in Redis: one
 * budget across every proxy (SPEC §3e).
 *
 * The library's configuration check an operator may meet (in our log, see lib/rate-limit.ts)
 * is `ERR_ERL_UNEXPECTED_X_FORWARDED_FOR`: X-Forwarded-For arrived while `TRUST_PROXY` is
 * unset, which is harmless when clients connect directly and a
 * misconfiguration behind a load balancer (every client would share the balancer's budget).
 *
 * @example router.post('/api/registration', submitRateLimit({ limit: 10, windowMs: 60_000 }, logger), …)
 */
export function submitRateLimit(options: SubmitRateLimitOptions, logger: Logger, counters?: Counters): RequestHandler {
  return clientRateLimit(options, logger, counters, { name: 'proxy:submit', what: 'registrations' });
}

/**
 * A per-client limit of the proxy, as the submit limit above: `name` keeps its counters apart
 * in a shared store, `what` is what the 429 says there were too many of.
 */
export function clientRateLimit(
  options: SubmitRateLimitOptions,
  logger: Logger,
  counters: Counters | undefined,
  limiter: { name: string; what: string },
): RequestHandler {
  return createRateLimit({
    ...options,
    name: limiter.name,
    logger,
    ...(counters ? { counters } : {}),
    refuse: (retryAfter) =>
      new ProxyError(429, 'rate_limited', `Too many ${limiter.what} from this network; please retry in ${retryAfter} seconds`, {
        details: { retry_after_seconds: retryAfter },
        headers: { 'Retry-After': String(retryAfter) },
      }),
  });
}
