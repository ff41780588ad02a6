import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createTestDatabase } from '../test/helpers/database.js';
import { seedConference } from '../test/helpers/backend.js';
import { spawnBackend, spawnProxy } from '../test/helpers/process.js';
import { SERVER_NODE_FLAGS } from '../lib/node-flags.js';
import { type LoadFigures, load, newPersonRequest, peakRssMb, printTable } from './support.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 32;

export interface ProxyBenchResult {
  direct: LoadFigures;
  proxied: LoadFigures;
  config: LoadFigures;
  /** Proxied submits/s over direct submits/s (issue 3's target: at least 0.7). */
  throughputRatio: number;
  /** What the proxy adds to the median submit, in ms (target: under 1). */
  addedP50Ms: number;
}

/**
 * Drops a child's request log once it has started: read (so the child never blocks on a full
 * pipe) but neither kept nor re-joined, which would cost the load generator's CPU.
 */
function quiet(stream: NodeJS.ReadableStream): void {
  stream.removeAllListeners('data');
  stream.on('data', () => {});
}

/**
 * Submits through the proxy against straight to the backend, same load (32 connections,
 * BENCH_SECONDS each), then cached config reads through the proxy. Both servers run in
 * processes of their own with production settings (request logs on, durable commits, the
 * built code when `dist/` exists); the load generator shares the machine's cores with them.
 */
export async function runProxyBench(): Promise<ProxyBenchResult> {
  const compiled = existsSync(`${ROOT}dist/proxy-server/server.js`) && existsSync(`${ROOT}dist/backend/server.js`);
  const database = await createTestDatabase('sqlite');
  const store = await database.open();
  const { apiKey } = await seedConference(store);
  await store.close();
  const backend = await spawnBackend({ DATABASE_URL: database.url, LOG_LEVEL: 'info' }, { compiled, nodeArgs: SERVER_NODE_FLAGS });
  quiet(backend.child.stdout!);
  const proxy = await spawnProxy(
    { CONFERA_BASE_URL: backend.url, CONFERA_API_KEY: apiKey, ALLOWED_ORIGINS: '*', RATE_LIMIT_SUBMITS: '0', LOG_LEVEL: 'info' },
    { compiled, nodeArgs: SERVER_NODE_FLAGS },
  );
  quiet(proxy.child.stdout!);
  let n = 0;
  const id = (prefix: string) => () => `${prefix}${n++}`;
  const direct = (prefix: string) => newPersonRequest('/api/public/v1/registrations/registrations', { 'x-api-key': apiKey }, id(prefix));
  const proxied = (prefix: string) => newPersonRequest('/api/registration', {}, id(prefix));
  try {
    // Warm-up (JIT, keep-alive pools), not measured.
    await load('warm-up', { url: backend.url, connections: 8, duration: 2, requests: [direct('wd')] });
    await load('warm-up', { url: proxy.url, connections: 8, duration: 2, requests: [proxied('wp')] });
    await load('warm-up', { url: `${proxy.url}/api/registration`, connections: 8, duration: 1 });

    const figures = {
      direct: await load('submit, straight to the backend', {
        url: backend.url,
        connections: CONNECTIONS,
        duration: DURATION,
        requests: [direct('d')],
      }),
      proxied: await load('submit, through the proxy', {
        url: proxy.url,
        connections: CONNECTIONS,
        duration: DURATION,
        requests: [proxied('p')],
      }),
      config: await load('config through the proxy (cached)', {
        url: `${proxy.url}/api/registration`,
        connections: CONNECTIONS,
        duration: DURATION,
      }),
    };
    const result: ProxyBenchResult = {
      ...figures,
      throughputRatio: figures.proxied.requestsPerSecond / Math.max(1, figures.direct.requestsPerSecond),
      addedP50Ms: figures.proxied.p50 - figures.direct.p50,
    };
    console.log(
      `\n## Proxy: ${CONNECTIONS} connections, ${DURATION} s per run${compiled ? '' : ' (from source: run npm run build for the built code)'}`,
    );
    printTable([result.direct, result.proxied, result.config]);
    console.log(`proxied/direct submit throughput: ${(result.throughputRatio * 100).toFixed(0)}% (target ≥ 70%)`);
    console.log(
      `added p50: ${result.addedP50Ms.toFixed(2)} ms (target < 1 ms); added p99: ${(result.proxied.p99 - result.direct.p99).toFixed(2)} ms`,
    );
    console.log(`cached config: ${result.config.requestsPerSecond} req/s (target ≥ 5000)`);
    console.log(`peak RSS: proxy ${peakRssMb(proxy.child.pid!) ?? '?'} MB, backend ${peakRssMb(backend.child.pid!) ?? '?'} MB`);
    return result;
  } finally {
    await proxy.stop();
    await backend.stop();
    await database.drop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runProxyBench();
