import { isIP } from 'node:net';
import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import type { Counters } from '../../lib/counters.js';
import type { Logger } from '../../lib/logger.js';
import { createRateLimit } from '../../lib/rate-limit.js';
import { ApiError } from '../errors.js';
import { auth } from './authenticate.js';

/** The header a proxy names its visitor's address in (docs/decisions.md, "Client address"). */
export const CLIENT_ADDRESS_HEADER = 'confera-client-address';

export interface KeyRateLimitOptions {
  /** The ceiling: requests per API key per minute, whoever they are for; 0 turns it off. */
  perKey: number;
  /** Requests per API key and client address per minute; 0 turns it off. */
  perClient: number;
  /** Whether the hop that connected (`req.ip`) may name its client (`TRUSTED_PROXIES`). */
  trustedProxy: (address: string) => boolean;
  counters: Counters;
  logger: Logger;
}

/**
 * The client a trusted proxy names in `Confera-Client-Address`. Anyone else's header is
 * ignored (it would let a caller spread its requests over made-up clients), and so is a
 * value that is not an IP address: it gets no budget of its own.
 */
export function forwardedClient(req: Request, trustedProxy: (address: string) => boolean): string | undefined {
  const named = req.get(CLIENT_ADDRESS_HEADER)?.trim();
  if (!named || !isIP(named)) return undefined;
  const hop = req.ip ?? req.socket.remoteAddress;
  return hop && trustedProxy(hop) ? named : undefined;
}

function refusal(message: string) {
  return (retryAfter: number) =>
    new ApiError('rate_limited', message, { retry_after_seconds: retryAfter }, { 'Retry-After': String(retryAfter) });
}

/**
 * The per-key limits (after authentication, SPEC §3e). A proxy sends every visitor of a
 * conference through one key, so one budget per key would let a flood from many addresses
 * close registration for all of them (issue 14). Two limits, in this order:
 * - per key and client, for requests whose client a trusted proxy names; one client's
 *   refusals never reach the second limit;
 * - per key, the ceiling every request counts against: sized so that a real opening rush
 *   stays far below it and only a runaway integration meets it (docs/deployment.md).
 */
export function keyRateLimits(options: KeyRateLimitOptions): RequestHandler[] {
  const clientOf = (req: Request, res: Response): string | undefined => {
    if (!('clientAddress' in res.locals)) res.locals.clientAddress = forwardedClient(req, options.trustedProxy);
    return res.locals.clientAddress as string | undefined;
  };
  const perClient = createRateLimit({
    name: 'backend:client',
    limit: options.perClient,
    windowMs: 60_000,
    logger: options.logger,
    counters: options.counters,
    skip: (req, res) => clientOf(req, res) === undefined,
    keyGenerator: (req, res) => `${auth(res).keyId}|${ipKeyGenerator(clientOf(req, res)!)}`,
    refuse: refusal('Too many requests from this client; retry later'),
  });
  const perKey = createRateLimit({
    name: 'backend:key',
    limit: options.perKey,
    windowMs: 60_000,
    logger: options.logger,
    counters: options.counters,
    keyGenerator: (_req, res) => auth(res).keyId,
    refuse: refusal('Too many requests for this API key; retry later'),
  });
  return [perClient, perKey];
}
