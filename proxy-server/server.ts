import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createConferaPublicClient } from '../client/index.js';
import { configureContractMessages } from '../contract/index.js';
import { createCounters } from '../lib/counters.js';
import { createLogger } from '../lib/logger.js';
import { exitGracefully } from '../lib/shutdown.js';
import { createApp } from './app.js';
import { proxyConfig, readProxyEnv } from './env.js';
import { createProxyServer } from './http-server.js';
import { localReceiptStore } from './receipt-store.js';

/** The package root, found from this file whether it runs from source or from dist/. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/**
 * The proxy's entry point: the only place that reads the environment and listens (SPEC §3).
 * On SIGTERM/SIGINT it stops accepting, lets requests in flight finish (a submit that reached
 * the backend gets its answer to the browser), then exits; it gives up after
 * SHUTDOWN_TIMEOUT_MS.
 */
function main() {
  configureContractMessages();
  const env = readProxyEnv(process.env);
  const logger = createLogger({ name: 'confera-proxy', level: env.LOG_LEVEL });
  const client = createConferaPublicClient({
    baseUrl: env.CONFERA_BASE_URL,
    apiKey: env.CONFERA_API_KEY,
    timeoutMs: env.CONFERA_TIMEOUT_MS,
    userAgent: 'confera-proxy/0.1',
  });
  const widgetFile = env.WIDGET_FILE ?? join(packageRoot(), 'dist', 'widget', 'confera-registration.js');
  const counters = createCounters(env.REDIS_URL, logger);
  const receipts = localReceiptStore(env.RECEIPTS_DIR);
  const app = createApp({ client, config: proxyConfig(env), logger, widgetFile, counters, receipts });
  // Uploads no registration used within a day go (SPEC §3c); hourly is soon enough for that.
  const sweep = () =>
    receipts.sweep(new Date()).then(
      (swept) => swept && logger.info({ swept }, 'unused receipts deleted'),
      (error: unknown) => logger.warn({ code: (error as NodeJS.ErrnoException).code }, 'sweeping receipts failed'),
    );
  void sweep();
  setInterval(sweep, 60 * 60 * 1000).unref();

  const server = createProxyServer(app, { upstreamTimeoutMs: env.CONFERA_TIMEOUT_MS });
  server.listen(env.PORT, env.HOST, () => {
    const { port } = server.address() as AddressInfo;
    logger.info({ port }, 'proxy listening');
    // Parents (npm start, tests) read this line to learn the port.
    process.stdout.write(`confera-proxy listening on http://${env.HOST}:${port}\n`);
  });

  exitGracefully({ server, logger, timeoutMs: env.SHUTDOWN_TIMEOUT_MS, close: () => counters.close() });
}

try {
  main();
} catch (error) {
  process.stderr.write(`confera-proxy: ${(error as Error).message}\n`);
  process.exit(1);
}
