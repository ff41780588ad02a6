import { readFileSync } from 'node:fs';
import { connect as netConnect, type Socket } from 'node:net';
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
 *
 * It speaks HTTP/1.1 on raw sockets (`RawConnection`), as wrk and autocannon do, rather than
 * through node:http's client: the load generator shares the machine's two cores with the
 * servers it measures, and node:http's client cost 130–168 µs of CPU per request there
 * against 68–78 µs for this (docs/proxy.md, "Fourth session"). Plain HTTP only, no TLS.
 */
export async function closedLoop(
  label: string,
  options: { url: string; connections: number; duration: number; request: () => LoopRequest },
): Promise<LoadFigures> {
  const target = new URL(options.url);
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  const until = performance.now() + options.duration * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.connections }, async () => {
      const connection = new RawConnection(target);
      while (performance.now() < until) {
        const request = options.request();
        const wire = requestBytes(target, request);
        const t0 = performance.now();
        const status = await connection.exchange(request.method, wire);
        if (status >= 200 && status < 300) {
          ok++;
          latencies.push(performance.now() - t0);
        } else failed++;
      }
      connection.close();
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0) * 100) / 100;
  return { label, requestsPerSecond: Math.round(ok / seconds), p50: at(0.5), p99: at(0.99), ok, failed };
}

/** One request as it goes on the wire: request line, headers, `Content-Length`, body. */
function requestBytes(target: URL, request: LoopRequest): Buffer {
  const body = request.body === undefined ? undefined : Buffer.from(request.body);
  let head = `${request.method} ${request.path} HTTP/1.1\r\nhost: ${target.host}\r\n`;
  for (const [name, value] of Object.entries(request.headers ?? {})) head += `${name}: ${value}\r\n`;
  if (body) head += `content-length: ${body.length}\r\n`;
  head += '\r\n';
  return body ? Buffer.concat([Buffer.from(head, 'latin1'), body]) : Buffer.from(head, 'latin1');
}

/**
 * One keep-alive connection that sends a request and reads its answer, as far as the two
 * servers answer: a status line, headers and a `Content-Length` body (none for HEAD, 204 and
 * 304; interim 1xx answers skipped). A chunked answer is a failure here, not a guess. A
 * connection closed by the server, or by `Connection: close`, is opened again for the next
 * request; a request it cut off counts as failed (status 0). Bytes that arrive with no
 * request waiting (a server bug) are dropped, so they cannot shift a status onto the next one.
 */
class RawConnection {
  readonly #target: URL;
  #socket: Socket | undefined;
  #buffered: Buffer = Buffer.alloc(0);
  #waiting: { method: string; settle: (status: number) => void } | undefined;

  constructor(target: URL) {
    this.#target = target;
  }

  exchange(method: string, wire: Buffer): Promise<number> {
    const socket = (this.#socket ??= this.#open());
    return new Promise<number>((settle) => {
      this.#waiting = { method, settle };
      socket.write(wire);
    });
  }

  close(): void {
    this.#socket?.destroy();
    this.#socket = undefined;
  }

  #open(): Socket {
    const port = Number(this.#target.port || 80);
    const socket = netConnect({ host: this.#target.hostname, port, noDelay: true });
    this.#buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      if (!this.#waiting) return;
      this.#buffered = this.#buffered.length ? Buffer.concat([this.#buffered, chunk]) : chunk;
      this.#read(socket);
    });
    // Only the current socket's loss fails the request in flight: one closed after
    // `Connection: close` has already been replaced.
    const lost = () => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      this.#settle(0);
    };
    socket.on('error', lost);
    socket.on('close', lost);
    return socket;
  }

  #read(socket: Socket): void {
    for (;;) {
      const end = this.#buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = this.#buffered.toString('latin1', 0, end);
      const status = Number(head.slice(9, 12));
      if (status >= 100 && status < 200) {
        this.#buffered = this.#buffered.subarray(end + 4);
        continue;
      }
      const bodiless = this.#waiting?.method === 'HEAD' || status === 204 || status === 304;
      const length = bodiless ? '0' : /\r\ncontent-length:[ \t]*(\d+)/i.exec(head)?.[1];
      if (length === undefined) return void socket.destroy();
      const total = end + 4 + Number(length);
      if (this.#buffered.length < total) return;
      this.#buffered = Buffer.alloc(0);
      if (/\r\nconnection:[^\r\n]*\bclose\b/i.test(head)) {
        this.#socket = undefined;
        socket.destroy();
      }
      return this.#settle(status);
    }
  }

  #settle(status: number): void {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.settle(status);
  }
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
