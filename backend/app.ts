import express, { type Express } from 'express';
import helmet from 'helmet';
import { memoryCounters, type Counters } from '../lib/counters.js';
import { parseAddressList } from '../lib/client-address.js';
import type { Logger } from '../lib/logger.js';
import { acceptJson } from './middleware/content-negotiation.js';
import { errorHandler, notFound } from './middleware/error-handler.js';
import { requestLog } from '../lib/request-log.js';
import { healthRouter } from './routes/health.js';
import { registrationsRouter } from './routes/registrations.js';
import { ABANDONED_MS } from './services/idempotency.js';
import type { Store } from './storage/database.js';

export const API_BASE = '/api/public/v1';

export interface BackendDeps {
  store: Store;
  logger: Logger;
  /** Injected so that tests can move time (phases, expiry, closing). */
  clock?: () => Date;
  /** The ceiling: requests per API key per minute; 0 turns the limit off. */
  rateLimitPerMinute?: number;
  /** Requests per API key and client address (named by a trusted proxy) per minute; 0 turns it off. */
  rateLimitPerClientPerMinute?: number;
  /** Who may name its client in `Confera-Client-Address` (`TRUSTED_PROXIES`); default loopback. */
  trustedProxies?: (address: string) => boolean;
  /** Where the rate limits count (lib/counters.ts); default memory, per process. */
  counters?: Counters;
  /** Express's `trust proxy` setting, for client IPs behind a load balancer. */
  trustProxy?: boolean | number | string;
  /** After how long an unfinished Idempotency-Key claim counts as abandoned by a dead process. */
  idempotencyInFlightMs?: number;
  /** How long an API key's look-up is remembered; 0 (the default here) looks up every time. */
  authCacheMs?: number;
}

/** Builds the Public API v1 app from its dependencies; `server.ts` alone listens. */
export function createApp(deps: BackendDeps): Express {
  const full: Required<BackendDeps> = {
    clock: () => new Date(),
    rateLimitPerMinute: 60_000,
    rateLimitPerClientPerMinute: 60,
    trustedProxies: parseAddressList('loopback'),
    counters: memoryCounters,
    trustProxy: false,
    authCacheMs: 0,
    idempotencyInFlightMs: ABANDONED_MS,
    ...deps,
  };
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', full.trustProxy);
  app.use(helmet());
  app.use(requestLog(full.logger));
  const health = healthRouter(full.store, full.counters);
  app.use(health);
  app.use(API_BASE, health);
  app.use(API_BASE, acceptJson, registrationsRouter(full));
  app.use(notFound);
  app.use(errorHandler(full.logger));
  return app;
}
