import express, { type Express } from 'express';
import type { ConferaPublicClient } from '../client/index.js';
import { addressOnlyIp } from '../lib/client-address.js';
import type { Counters } from '../lib/counters.js';
import type { Logger } from '../lib/logger.js';
import { createConfigCache } from './config-cache.js';
import { cors } from './middleware/cors.js';
import { errorHandler, notFound } from './middleware/error-handler.js';
import { requestLog } from '../lib/request-log.js';
import { securityHeaders } from './middleware/security-headers.js';
import { healthRouter } from './routes/health.js';
import { configFastPath } from './routes/config-fast-path.js';
import { REGISTRATION_PATH, registrationRoutes } from './routes/registration.js';
import { submitFastPath } from './routes/submit-fast-path.js';
import { PUB_RESOURCE_BASE, pubResourceRouter } from './routes/pub-resource.js';
import { submitRateLimit } from './middleware/rate-limit.js';
import { widgetRouter } from './routes/widget.js';
import { formRouter } from './routes/form.js';
import { createFormTokens } from './form-token.js';
import type { ReceiptStore } from './receipt-store.js';
import { receiptsRouter, RECEIPTS_PATH } from './routes/receipts.js';

/** The proxy's settings, already validated (see `env.ts`). */
export interface ProxyConfig {
  /** `*` or exact origins (SPEC §3). */
  allowedOrigins: '*' | readonly string[];
  /** Submits per client IP per window; `limit: 0` turns it off. */
  rateLimit: { limit: number; windowMs: number };
  /** Receipt uploads per client IP per window (SPEC §3c); `limit: 0` turns it off. Default: 10 a minute. */
  receiptRateLimit?: { limit: number; windowMs: number };
  /** How long the config is served from memory; 0 reads it every time. */
  configCacheMs: number;
  /** Express's `trust proxy`: who may set X-Forwarded-For (client IPs for the rate limit); never `true`. */
  trustProxy: false | number | string;
  /** Who may frame `/form` (SPEC §3d): `*` or exact origins. Default `*`. */
  frameAncestors?: '*' | readonly string[];
  /** Signs `/form`'s tokens for opaque-origin pages; unset: a secret made at start. */
  formTokenSecret?: string | undefined;
  /**
   * The proxy's public origin, for the links it hands out (a receipt's `paymentProofUrl`).
   * Unset: each request's own (`req.protocol`, `req.host`), right only where `TRUST_PROXY`
   * lets a load balancer that ends TLS say `https`.
   */
  publicUrl?: string;
}

export interface ProxyDeps {
  /** The typed client, holding the API key; the only way to the backend. */
  client: ConferaPublicClient;
  config: ProxyConfig;
  logger: Logger;
  /** Injected so that tests can move time (the config cache). */
  clock?: () => Date;
  /** Path of the built widget bundle. */
  widgetFile: string;
  /** Where uploaded receipts are kept (SPEC §3c): `localReceiptStore(RECEIPTS_DIR)` in server.ts. */
  receipts: ReceiptStore;
  /** Where the submit limit counts (lib/counters.ts); default memory, per process. */
  counters?: Counters;
}

const DEFAULT_RECEIPT_LIMIT = { limit: 10, windowMs: 60_000 };

/** Builds the proxy app from its dependencies (SPEC §3); `server.ts` alone listens. */
export function createApp(deps: ProxyDeps): Express {
  const clock = deps.clock ?? (() => new Date());
  const configCache = createConfigCache({ client: deps.client, ttlMs: deps.config.configCacheMs, clock });
  const formTokens = createFormTokens({ secret: deps.config.formTokenSecret, clock });
  // One limiter for every submit route (both forms of each): one budget per client.
  const submitLimit = submitRateLimit(deps.config.rateLimit, deps.logger, deps.counters);
  const app = express();
  app.disable('x-powered-by');
  // ETags are the widget route's business; hashing every JSON answer would cost for nothing.
  app.set('etag', false);
  app.set('trust proxy', deps.config.trustProxy);
  app.use(addressOnlyIp);
  // A receipt's name is what lets anyone read it: the log names the route, not the receipt.
  app.use(requestLog(deps.logger, { redactPath: (path) => path.replace(/(\/receipts\/).+/i, '$1:name') }));
  app.use(securityHeaders());
  app.use(cors({ allowedOrigins: deps.config.allowedOrigins, formTokens }));
  const registration = registrationRoutes({
    receipts: deps.receipts,
    ...(deps.config.publicUrl ? { publicUrl: deps.config.publicUrl } : {}),
    clock,
    client: deps.client,
    configCache,
    allowedOrigins: deps.config.allowedOrigins,
    formTokens,
    rateLimit: deps.config.rateLimit,
    limit: submitLimit,
    logger: deps.logger,
  });
  app.use(configFastPath(configCache));
  app.use(submitFastPath(registration.submit));
  app.use(healthRouter({ configCache, logger: deps.logger, ...(deps.counters ? { counters: deps.counters } : {}) }));
  app.use(
    RECEIPTS_PATH,
    receiptsRouter({
      receipts: deps.receipts,
      rateLimit: deps.config.receiptRateLimit ?? DEFAULT_RECEIPT_LIMIT,
      ...(deps.config.publicUrl ? { publicUrl: deps.config.publicUrl } : {}),
      logger: deps.logger,
      ...(deps.counters ? { counters: deps.counters } : {}),
    }),
  );
  app.use(REGISTRATION_PATH, registration.router);
  app.use(
    PUB_RESOURCE_BASE,
    pubResourceRouter({
      client: deps.client,
      configCache,
      allowedOrigins: deps.config.allowedOrigins,
      limit: submitLimit,
      logger: deps.logger,
    }),
  );
  app.use(widgetRouter({ widgetFile: deps.widgetFile }));
  app.use(formRouter({ configCache, formTokens, frameAncestors: deps.config.frameAncestors ?? '*' }));
  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}
