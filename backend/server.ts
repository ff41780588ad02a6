import type { AddressInfo } from 'node:net';
import { configureContractMessages } from '../contract/index.js';
import { createCounters } from '../lib/counters.js';
import { createHttpServer } from '../lib/http-server.js';
import { createLogger } from '../lib/logger.js';
import { exitGracefully } from '../lib/shutdown.js';
import { createApp } from './app.js';
import { readEnv } from './env.js';
import { sweep } from './services/idempotency.js';
import { openDatabase, parseDatabaseUrl, REQUEST_STATEMENT_MS } from './storage/database.js';
import { migrate } from './storage/migrate.js';

/** The backend's entry point: reads the environment, migrates, listens, shuts down cleanly. */
async function main() {
  configureContractMessages();
  const env = readEnv(process.env);
  const logger = createLogger({ name: 'confera-backend', level: env.LOG_LEVEL });
  const store = openDatabase(env.DATABASE_URL, { poolSize: env.PG_POOL_SIZE, statementMs: REQUEST_STATEMENT_MS });
  if (store.dialect === 'postgres') {
    // Migrations on a handle of their own, without the requests' statement limit: a long
    // index build is no stuck request. (SQLite has no such limit, and `:memory:` one handle.)
    const migrating = openDatabase(env.DATABASE_URL);
    await migrate(migrating).finally(() => migrating.close());
  } else await migrate(store);
  const counters = createCounters(env.REDIS_URL, logger);
  const app = createApp({
    store,
    logger,
    counters,
    rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
    rateLimitPerClientPerMinute: env.RATE_LIMIT_PER_CLIENT_PER_MINUTE,
    trustedProxies: env.TRUSTED_PROXIES,
    trustProxy: env.TRUST_PROXY,
    idempotencyInFlightMs: env.IDEMPOTENCY_IN_FLIGHT_MS,
    authCacheMs: env.AUTH_CACHE_MS,
  });
  const server = createHttpServer(app).listen(env.PORT, env.HOST, () => {
    const { port } = server.address() as AddressInfo;
    logger.info({ port, database: parseDatabaseUrl(env.DATABASE_URL).dialect }, 'backend listening');
    // Parents (npm start, tests) read this line to learn the port.
    process.stdout.write(`confera-backend listening on http://${env.HOST}:${port}\n`);
  });
  const sweeper = setInterval(() => void sweep(store.db, new Date()).catch(() => {}), 10 * 60_000);
  sweeper.unref();

  // Requests in flight finish, then the database is closed; after 10 s the process gives up.
  exitGracefully({
    server,
    logger,
    timeoutMs: 10_000,
    close: async () => {
      clearInterval(sweeper);
      await counters.close();
      await store.close();
    },
  });
}

main().catch((error: Error) => {
  process.stderr.write(`confera-backend: ${error.message}\n`);
  process.exit(1);
});
