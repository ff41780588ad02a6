import { once } from 'node:events';
import { request, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { after, before, describe } from 'node:test';
import { API_BASE } from '../../backend/app.js';
import { startProxy } from '../proxy/support.js';
import { seedConference, startBackend } from './backend.js';

/** What the server reads from the next connection it accepts, once that connection has closed. */
export function bytesReadOnNextConnection(server: Server): Promise<number> {
  return new Promise((resolve) => server.once('connection', (socket: Socket) => socket.once('close', () => resolve(socket.bytesRead))));
}

export interface Upload {
  /** Everything the server sent back, as text. */
  response: string;
  /** How many body bytes the client got written before the server closed the connection. */
  sent: number;
}

/**
 * A client that means to send `total` bytes of chunked body: 16 KiB chunks, each written
 * only once the previous one was taken, one per event-loop turn, until it is done or the
 * server closes the connection.
 */
export async function uploadChunked(url: string, path: string, headers: Record<string, string>, total: number): Promise<Upload> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  let response = '';
  let closed = false;
  socket.on('data', (chunk: Buffer) => (response += chunk.toString('latin1')));
  socket.on('error', () => {});
  const ended = once(socket, 'close').then(() => (closed = true));
  const head = Object.entries({ ...headers, host: hostname, 'transfer-encoding': 'chunked' }).map(
    ([name, value]) => `${name}: ${value}\r\n`,
  );
  socket.write(`POST ${path} HTTP/1.1\r\n${head.join('')}\r\n`);
  const chunk = Buffer.alloc(16 * 1024, 'x');
  const frame = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
  let sent = 0;
  while (sent < total && !closed && !socket.destroyed) {
    const written = await new Promise<boolean>((resolve) => socket.write(frame, (error) => resolve(!error)));
    if (!written) break;
    sent += chunk.length;
    await nextTurn();
  }
  if (!closed && !socket.destroyed) socket.end('0\r\n\r\n');
  await ended;
  return { response, sent };
}

/** The status line's code and the body of a raw HTTP/1.1 answer. */
export function parseAnswer(raw: string): { status: number; head: string; body: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split);
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), head, body: raw.slice(split + 4) };
}

/**
 * A request that declares `declared` bytes and sends only the headers (and, unless it
 * waits for `100 Continue`, a few bytes): what a server answers before reading the body.
 * `continued` says whether the server invited the upload. With `body`, that body is sent.
 */
export async function declaredUpload(
  url: string,
  path: string,
  headers: Record<string, string>,
  declared: number,
  options: { expectContinue?: boolean; body?: string } = {},
): Promise<{ status: number; body: string; continued: boolean; connection: string | undefined }> {
  const req = request(`${url}${path}`, {
    method: 'POST',
    headers: { ...headers, 'content-length': String(declared), ...(options.expectContinue ? { expect: '100-continue' } : {}) },
  });
  let continued = false;
  req.on('continue', () => (continued = true));
  req.on('error', () => {});
  if (options.body !== undefined) {
    // Sent whole: at once, or once the server has invited it.
    if (options.expectContinue) req.on('continue', () => req.end(options.body));
    else req.end(options.body);
  } else if (!options.expectContinue) req.write('{"firstName":');
  const timer = setTimeout(() => req.destroy(new Error('no answer before the body was sent')), 3000);
  try {
    const [res] = (await once(req, 'response')) as [import('node:http').IncomingMessage];
    let body = '';
    for await (const chunk of res) body += String(chunk);
    return { status: res.statusCode ?? 0, body, continued, connection: res.headers.connection };
  } finally {
    clearTimeout(timer);
    req.destroy();
  }
}

/** A server that takes a JSON create body, with what a client needs to post one to it. */
export interface BodyTaker {
  name: 'backend' | 'proxy';
  url: string;
  path: string;
  /** Headers of a create request that passes every check before the body (content type, key). */
  headers: Record<string, string>;
  server: Server;
  logs: string[];
}

/**
 * The real backend (with a live conference and its key) and a real proxy in front of it, for
 * a describe block: started before it, closed after it. Calls `define` once per server.
 */
export function forBothBodyTakers(define: (taker: () => BodyTaker) => void): void {
  const takers = new Map<BodyTaker['name'], BodyTaker>();
  const closers: (() => Promise<void>)[] = [];
  before(async () => {
    const backend = await startBackend();
    closers.push(() => backend.close());
    const seeded = await seedConference(backend.store);
    const proxy = await startProxy({ backendUrl: backend.url, apiKey: seeded.apiKey });
    closers.unshift(() => proxy.close());
    const json = { 'content-type': 'application/json' };
    takers.set('backend', {
      name: 'backend',
      ...backend,
      path: `${API_BASE}/registrations/registrations`,
      headers: { ...json, 'x-api-key': seeded.apiKey },
    });
    takers.set('proxy', { name: 'proxy', ...proxy, path: '/api/registration', headers: json });
  });
  after(async () => {
    for (const close of closers) await close();
  });
  for (const name of ['backend', 'proxy'] as const) {
    describe(`on the ${name}`, () => define(() => takers.get(name)!));
  }
}
