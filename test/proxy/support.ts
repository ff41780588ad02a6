import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import vm from 'node:vm';
import { createConferaPublicClient, type FetchLike } from '../../client/index.js';
import { configureContractMessages } from '../../contract/index.js';
import { createLogger } from '../../lib/logger.js';
import { createApp, type ProxyConfig } from '../../proxy-server/app.js';
import { createProxyServer } from '../../proxy-server/http-server.js';
import { localReceiptStore, type ReceiptStore } from '../../proxy-server/receipt-store.js';
import assert from 'node:assert/strict';
import { after, afterEach, before } from 'node:test';
import { memoryLog, startBackend, type TestBackend } from '../helpers/backend.js';

/** Every answer a test saw and every log line, per key: the leak scan reads them after each test. */
const seen: { key: string; texts: string[] }[] = [];

export interface TestProxy {
  url: string;
  logs: string[];
  /** How many calls the client made to the backend. */
  upstreamCalls: () => number;
  /** The node:http server, for tests that watch its sockets. */
  server: Server;
  close(): Promise<void>;
}

export interface ProxyOptions {
  backendUrl: string;
  apiKey: string;
  config?: Partial<ProxyConfig>;
  timeoutMs?: number;
  clock?: () => Date;
  widgetFile?: string;
  /** Default: a fresh folder of its own. */
  receipts?: ReceiptStore;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

/** The real proxy (createApp in createProxyServer, as server.ts runs it) on an ephemeral port, logging into memory. */
export async function startProxy(options: ProxyOptions): Promise<TestProxy> {
  configureContractMessages(); // as proxy-server/server.ts does
  const log = memoryLog();
  const timeoutMs = options.timeoutMs ?? 5_000;
  let calls = 0;
  const counting: FetchLike = (input, init) => {
    calls++;
    return fetch(input, init);
  };
  const client = createConferaPublicClient({
    baseUrl: options.backendUrl,
    apiKey: options.apiKey,
    timeoutMs,
    userAgent: 'confera-proxy-test',
    fetch: counting,
  });
  const app = createApp({
    client,
    logger: createLogger({ name: 'confera-proxy', level: 'debug', destination: log.destination }),
    config: {
      allowedOrigins: ['https://www.example.org', 'http://localhost:8080'],
      rateLimit: { limit: 0, windowMs: 60_000 },
      configCacheMs: 0,
      trustProxy: false,
      ...options.config,
    },
    widgetFile: options.widgetFile ?? join(tmpdir(), 'confera-no-such-widget', 'confera-registration.js'),
    ...(options.clock ? { clock: options.clock } : {}),
    receipts: options.receipts ?? localReceiptStore(mkdtempSync(join(tmpdir(), 'confera-receipts-'))),
  });
  const server = createProxyServer(app, { upstreamTimeoutMs: timeoutMs });
  const url = await listen(server);
  seen.push({ key: options.apiKey, texts: log.lines });
  return { url, logs: log.lines, upstreamCalls: () => calls, server, close: () => closeServer(server) };
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body, or undefined for script and empty answers. */
  json: any;
}

/** fetch, with the whole answer recorded for the leak scan. */
export async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  const headerText = [...response.headers].map(([name, value]) => `${name}: ${value}`).join('\n');
  seen.push({ key: '', texts: [headerText, text] });
  let json: unknown;
  // A HEAD answer has the JSON Content-Type but no body.
  if (text && (response.headers.get('content-type') ?? '').startsWith('application/json')) json = JSON.parse(text);
  return { status: response.status, headers: response.headers, text, json };
}

export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return call(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

/** The URL of a JSONP submit (seed 004). */
export function jsonpSubmitUrl(proxyUrl: string, payload: unknown, callback = 'onConfera', extra: Record<string, string> = {}): string {
  const query = new URLSearchParams({ method: 'post', format: 'json', callback, jsonData: JSON.stringify(payload), ...extra });
  return `${proxyUrl}/api/registration?${query}`;
}

/**
 * Runs a JSONP answer as a browser would (in a fresh VM context) and returns what the
 * callback received: proof that the body is valid script that calls only the callback.
 */
export function runJsonp(script: string, callback = 'onConfera'): any {
  const received: unknown[] = [];
  const context: Record<string, unknown> = {};
  const path = callback.split('.');
  let target = context;
  for (const part of path.slice(0, -1)) target = (target[part] = {}) as Record<string, unknown>;
  target[path.at(-1)!] = (payload: unknown) => received.push(payload);
  vm.runInNewContext(script, context);
  if (received.length !== 1) throw new Error(`the callback ran ${received.length} times`);
  return JSON.parse(JSON.stringify(received[0]));
}

/** A backend stand-in for failure tests: a real HTTP server whose behaviour the test sets. */
export async function startStub(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(handler);
  const url = await listen(server);
  return { url, close: () => closeServer(server) };
}

/** A URL where nothing listens: a port that was just free. */
export async function deadUrl(): Promise<string> {
  const server = createServer();
  const url = await listen(server);
  await closeServer(server);
  return url;
}

/**
 * A relay in front of the real backend that holds each request first: for `hold()` ms, or
 * until the promise it returns settles (a gate the test opens). Held past the proxy's
 * timeout, the backend still gets (and acts on) the request after the proxy has given up:
 * the case that idempotency keys exist for. `received()` counts the requests that reached
 * the relay, so that a test can wait for one to be in flight instead of sleeping.
 */
export async function startSlowRelay(
  backendUrl: string,
  hold: () => number | Promise<unknown>,
): Promise<{ url: string; received(): number; close(): Promise<void> }> {
  let received = 0;
  const stub = await startStub((req, res) => {
    received++;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const held = hold();
      await (typeof held === 'number' ? sleep(held) : held);
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name)),
      ) as Record<string, string>;
      const body = chunks.length ? Buffer.concat(chunks) : undefined;
      const upstream = await fetch(`${backendUrl}${req.url}`, { method: req.method!, headers, ...(body ? { body } : {}) });
      const text = await upstream.text();
      if (res.destroyed) return;
      res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' }).end(text);
    });
  });
  return { ...stub, received: () => received };
}

/** Every recorded answer and log line that holds one of the keys. */
export function leaksOf(keys: string[]): string[] {
  const all = seen.flatMap((entry) => entry.texts);
  return all.filter((text) => keys.some((key) => key && text.includes(key)));
}

/** How far each recorded text list has been scanned: a test is blamed only for what it added. */
const scanned = new Map<string[], number>();

/** The texts recorded since the previous call that hold one of the keys. */
export function newLeaksOf(keys: string[]): string[] {
  const fresh = seen.flatMap((entry) => {
    const from = scanned.get(entry.texts) ?? 0;
    scanned.set(entry.texts, entry.texts.length);
    return entry.texts.slice(from);
  });
  return fresh.filter((text) => keys.some((key) => key && text.includes(key)));
}

/**
 * The key-leak scan (SPEC §3: the key never leaves the server) after each test of the calling
 * describe block, over the answers, log lines and output that test added, so that a leak
 * fails the test that caused it (issue 15 item 5). `extraKeys`: keys no `startProxy` saw.
 */
export function scanEachTestForLeaks(extraKeys: () => string[] = () => []): void {
  const scan = () => assert.deepEqual(newLeaksOf([...keysInUse(), ...extraKeys()]), [], 'an API key in an answer or a log line');
  afterEach(scan);
  // What the block's own hooks logged after its last test.
  after(scan);
}

/** The keys of every proxy this file started. */
export function keysInUse(): string[] {
  return [...new Set(seen.map((entry) => entry.key).filter(Boolean))];
}

/** Adds another process's log lines (the backend's) to the leak scan. */
export function watchLogs(lines: string[]): void {
  seen.push({ key: '', texts: lines });
}

/**
 * One real backend for a describe block, watched by the leak scan, and the proxies its tests
 * start (`track`), all closed after the block.
 */
export function proxySuite(): { readonly backend: TestBackend; track(proxy: TestProxy): TestProxy } {
  let backend: TestBackend | undefined;
  const proxies: TestProxy[] = [];
  before(async () => {
    backend = await startBackend();
    watchLogs(backend.logs);
  });
  after(async () => {
    await Promise.all(proxies.map((p) => p.close()));
    await backend?.close();
  });
  return {
    get backend() {
      if (!backend) throw new Error('the backend starts in before()');
      return backend;
    },
    track(proxy) {
      proxies.push(proxy);
      return proxy;
    },
  };
}
