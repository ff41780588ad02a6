import { readFileSync } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import autocannon, { type Request, type Result } from 'autocannon';

export interface LoadFigures {
  label: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  ok: number;
  failed: number;
}

/** Runs autocannon and reduces its result to the figures the docs quote. */
export async function load(
  label: string,
  options: { url: string; connections: number; duration: number; requests?: Request[] },
): Promise<LoadFigures> {
  const result: Result = await autocannon(options);
  return {
    label,
    requestsPerSecond: Math.round(result['2xx'] / result.duration),
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
    failed: result.non2xx + result.errors + result.timeouts,
  };
}

/** CPU time a process has used so far (user + system), in ms; Linux only (0 elsewhere). */
export function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime, in clock ticks of 10 ms (USER_HZ is 100 on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/** Peak resident memory of a process (VmHWM), in MB; Linux only. */
export function peakRssMb(pid: number): number | null {
  try {
    const kb = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
}

export function printTable(rows: LoadFigures[]): void {
  console.log('| run | req/s | p50 ms | p99 ms | 2xx | failed |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) console.log(`| ${r.label} | ${r.requestsPerSecond} | ${r.p50} | ${r.p99} | ${r.ok} | ${r.failed} |`);
}

/** The create body of bench person `id` (the test conference's free ticket). */
function personBody(id: string): string {
  return JSON.stringify({
    firstName: 'Bench',
    lastName: `Person${id}`,
    email: `bench${id}@example.org`,
    ticketTypeId: 'free',
    customFields: { dietary: 'Vegan' },
  });
}

/** A create/submit with a new person each time, so that every 201 is a real insert. */
export function newPersonRequest(path: string, headers: Record<string, string>, next: () => string): Request {
  return {
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json', ...headers },
    setupRequest: (request) => {
      const id = next();
      return { ...request, body: personBody(id) };
    },
  };
}

export interface LoopRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * A closed-loop load of our own: `connections` keep-alive connections, each sending its next
 * request when the previous answer is in, for `duration` seconds. Latencies are measured with
 * `performance.now()` (autocannon rounds them to whole milliseconds, too coarse for "under
 * 1 ms added at 1 connection"). Figures are in ms with two decimals.
 */
export async function closedLoop(
  label: string,
  options: { url: string; connections: number; duration: number; request: () => LoopRequest },
): Promise<LoadFigures> {
  const agent = new HttpAgent({ keepAlive: true, maxSockets: options.connections });
  const target = new URL(options.url);
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  const send = (request: LoopRequest) =>
    new Promise<number>((resolve) => {
      const body = request.body === undefined ? undefined : Buffer.from(request.body);
      const req = httpRequest(
        {
          agent,
          host: target.hostname,
          port: target.port,
          method: request.method,
          path: request.path,
          headers: { ...request.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', () => resolve(0));
      req.end(body);
    });
  const until = performance.now() + options.duration * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.connections }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        const status = await send(options.request());
        if (status >= 200 && status < 300) {
          ok++;
          latencies.push(performance.now() - t0);
        } else failed++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0) * 100) / 100;
  return { label, requestsPerSecond: Math.round(ok / seconds), p50: at(0.5), p99: at(0.99), ok, failed };
}

/** A new person per call, as `newPersonRequest`, for `closedLoop`. */
export function newPerson(path: string, headers: Record<string, string>, next: () => string): () => LoopRequest {
  return () => {
    const id = next();
    return {
      method: 'POST',
      path,
      headers: { 'content-type': 'application/json', ...headers },
      body: personBody(id),
    };
  };
}

export const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
