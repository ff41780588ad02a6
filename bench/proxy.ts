import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createTestDatabase } from '../test/helpers/database.js';
import { seedConference } from '../test/helpers/backend.js';
import { spawnBackend, spawnProxy } from '../test/helpers/process.js';
import { SERVER_NODE_FLAGS } from '../lib/node-flags.js';
import { type LoadFigures, closedLoop, cpuMs, median, newPerson, peakRssMb, printTable } from './support.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
/**
 * Each connection count is measured in rounds, a direct run then a proxied one, and the
 * ratio is the median of the rounds' ratios. On a shared VM the same code's throughput drifts
 * by a quarter within minutes; one direct run against one proxied run seconds later measured
 * that drift as often as the proxy (docs/benchmarks.md, 2026-12-07, third session).
 */
const ROUNDS = 3;

/** One alternated round at one connection count: a direct run, then a proxied one. */
export interface ProxyBenchRound {
  connections: number;
  direct: LoadFigures;
  proxied: LoadFigures;
  /** Proxied submits/s over direct submits/s (issue 14: at least 0.8 at 8 connections). */
  throughputRatio: number;
  /** What the proxy adds to the median submit, in ms (issue 14: under 1 at 1 connection). */
  addedP50Ms: number;
  /** CPU µs per proxied submit, in the proxy and in the backend; the backend's for a direct one. */
  cpu: { proxy: number; backend: number; direct: number };
  /** KB the proxy allocated per proxied submit (V8's `--trace-gc-nvp`): a count, steadier than CPU here. */
  allocatedKb: number;
}

/** A connection count's figures: the medians of its rounds. */
export interface ProxyBenchRow extends ProxyBenchRound {
  rounds: ProxyBenchRound[];
}

const pct = (ratio: number) => `${(ratio * 100).toFixed(0)}%`;

/** The median of each figure over the rounds (each on its own: the rounds' figures differ). */
function medianRound(rounds: ProxyBenchRound[]): ProxyBenchRow {
  const of = (f: (r: ProxyBenchRound) => number) => median(rounds.map(f));
  const middle = [...rounds].sort((a, b) => a.throughputRatio - b.throughputRatio)[Math.floor(rounds.length / 2)]!;
  return {
    connections: middle.connections,
    direct: middle.direct,
    proxied: middle.proxied,
    throughputRatio: of((r) => r.throughputRatio),
    addedP50Ms: of((r) => r.addedP50Ms),
    cpu: { proxy: of((r) => r.cpu.proxy), backend: of((r) => r.cpu.backend), direct: of((r) => r.cpu.direct) },
    allocatedKb: of((r) => r.allocatedKb),
    rounds,
  };
}

export interface ProxyBenchResult {
  rows: ProxyBenchRow[];
  /** Cached config reads through the proxy (issue 14: at least 5,000/s). */
  config: LoadFigures;
}

/**
 * Reads the proxy's output for V8's GC lines (`--trace-gc-nvp`), adding up what each says was
 * allocated since the one before, and drops the rest (the request log), as `quiet` does.
 */
function allocationCounter(stream: NodeJS.ReadableStream): () => number {
  let bytes = 0;
  let partial = '';
  stream.removeAllListeners('data');
  stream.on('data', (chunk: Buffer) => {
    const lines = (partial + String(chunk)).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith('[')) bytes += Number(/ allocated=(\d+)/.exec(line)?.[1] ?? 0);
    }
  });
  return () => bytes;
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
 * Submits through the proxy against straight to the backend at 1, 8 and 32 connections, in
 * the same run and in alternated rounds (`ROUNDS`, `BENCH_SECONDS` split between them), then
 * cached config reads through the proxy (issue 14). At 32 connections on 2
 * cores, waiting for a CPU hides what the proxy costs; 1 connection shows its own latency.
 * Both servers run in processes of their own with production settings (request logs on,
 * durable commits, the built code when `dist/` exists); the load generator (bench/support.ts
 * `closedLoop`, sub-millisecond timing) shares the machine's cores with them.
 */
export async function runProxyBench(): Promise<ProxyBenchResult> {
  const compiled = existsSync(`${ROOT}dist/proxy-server/server.js`) && existsSync(`${ROOT}dist/backend/server.js`);
  const database = await createTestDatabase('sqlite');
  const store = await database.open();
  const { apiKey } = await seedConference(store);
  await store.close();
  const backend = await spawnBackend({ DATABASE_URL: database.url, LOG_LEVEL: 'info' }, { compiled, nodeArgs: SERVER_NODE_FLAGS });
  quiet(backend.child.stdout!);
  // The submit limit counts every submit, as in production, with a budget that one machine's
  // load never meets (all of it comes from one address).
  const proxy = await spawnProxy(
    { CONFERA_BASE_URL: backend.url, CONFERA_API_KEY: apiKey, ALLOWED_ORIGINS: '*', RATE_LIMIT_SUBMITS: '1000000000', LOG_LEVEL: 'info' },
    { compiled, nodeArgs: [...SERVER_NODE_FLAGS, '--trace-gc-nvp'] },
  );
  const allocated = allocationCounter(proxy.child.stdout!);
  let n = 0;
  const id = (prefix: string) => () => `${prefix}${n++}`;
  const direct = (prefix: string) => newPerson('/api/public/v1/registrations/registrations', { 'x-api-key': apiKey }, id(prefix));
  const proxied = (prefix: string) => newPerson('/api/registration', {}, id(prefix));
  const config = () => ({ method: 'GET', path: '/api/registration' });
  try {
    // Warm-up (JIT, keep-alive pools), not measured.
    await closedLoop('warm-up', { url: backend.url, connections: 8, duration: 2, request: direct('wd') });
    await closedLoop('warm-up', { url: proxy.url, connections: 8, duration: 2, request: proxied('wp') });
    await closedLoop('warm-up', { url: proxy.url, connections: 8, duration: 1, request: config });

    const rows: ProxyBenchRow[] = [];
    const runs: LoadFigures[] = [];
    for (const connections of [1, 8, 32]) {
      const run = { connections, duration: DURATION / ROUNDS };
      const rounds: ProxyBenchRound[] = [];
      for (let round = 1; round <= ROUNDS; round++) {
        const b0 = cpuMs(backend.child.pid!);
        const d = await closedLoop(`submit, straight to the backend, ${connections} conn., round ${round}`, {
          ...run,
          url: backend.url,
          request: direct('d'),
        });
        const [b1, p1, a1] = [cpuMs(backend.child.pid!), cpuMs(proxy.child.pid!), allocated()];
        const p = await closedLoop(`submit, through the proxy, ${connections} conn., round ${round}`, {
          ...run,
          url: proxy.url,
          request: proxied('p'),
        });
        const [b2, p2, a2] = [cpuMs(backend.child.pid!), cpuMs(proxy.child.pid!), allocated()];
        const perSubmit = (ms: number, figures: LoadFigures) => Math.round((ms * 1000) / Math.max(1, figures.ok + figures.failed));
        runs.push(d, p);
        rounds.push({
          connections,
          direct: d,
          proxied: p,
          throughputRatio: p.requestsPerSecond / Math.max(1, d.requestsPerSecond),
          addedP50Ms: p.p50 - d.p50,
          cpu: { proxy: perSubmit(p2 - p1, p), backend: perSubmit(b2 - b1, p), direct: perSubmit(b1 - b0, d) },
          allocatedKb: Math.round((a2 - a1) / 1024 / Math.max(1, p.ok + p.failed)),
        });
      }
      rows.push(medianRound(rounds));
    }
    const cached = await closedLoop('config through the proxy (cached), 32 conn.', {
      url: proxy.url,
      connections: 32,
      duration: DURATION,
      request: config,
    });
    console.log(
      `\n## Proxy: 1, 8 and 32 connections, ${ROUNDS} alternated rounds of ${(DURATION / ROUNDS).toFixed(1)} s per run${compiled ? '' : ' (from source: run npm run build for the built code)'}`,
    );
    printTable([...runs, cached]);
    console.log(`medians of ${ROUNDS} alternated rounds (each round's figure in brackets):`);
    console.log(
      '| connections | added p50 ms | proxied/direct | CPU µs per submit: proxy / backend (direct) | KB the proxy allocated per submit |',
    );
    console.log('| ---: | ---: | ---: | ---: | ---: |');
    for (const row of rows) {
      const { cpu } = row;
      const each = (f: (r: ProxyBenchRound) => string) => row.rounds.map(f).join(' / ');
      console.log(
        `| ${row.connections} | ${row.addedP50Ms.toFixed(2)} (${each((r) => r.addedP50Ms.toFixed(2))}) | ${pct(row.throughputRatio)} (${each((r) => pct(r.throughputRatio))}) | ${cpu.proxy} / ${cpu.backend} (${cpu.direct}) | ${row.allocatedKb} (${each((r) => String(r.allocatedKb))}) |`,
      );
    }
    console.log('targets: added p50 < 1 ms at 1 connection; proxied/direct ≥ 80% at 8; cached config ≥ 5,000/s');
    console.log(`peak RSS: proxy ${peakRssMb(proxy.child.pid!) ?? '?'} MB, backend ${peakRssMb(backend.child.pid!) ?? '?'} MB`);
    return { rows, config: cached };
  } finally {
    await proxy.stop();
    await backend.stop();
    await database.drop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runProxyBench();
