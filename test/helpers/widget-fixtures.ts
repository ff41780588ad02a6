import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConferaPublicClient } from '../../client/index.js';
import { configureContractMessages } from '../../contract/index.js';
import { createLogger } from '../../lib/logger.js';
import { createApp } from '../../proxy-server/app.js';
import { createProxyServer, MAX_HEADER_BYTES } from '../../proxy-server/http-server.js';
import { localReceiptStore } from '../../proxy-server/receipt-store.js';
import { updateConference } from '../../backend/services/conferences.js';
import { memoryLog, seedConference, startBackend, type TestBackend } from './backend.js';

/**
 * The real backend and real proxies for the widget's browser suites (web-test-runner.config.mjs
 * mounts `middleware` on its dev server). A test asks for a fixture: a conference of its own,
 * a proxy holding that conference's key (allowed origin: the test page's), and in front of the
 * proxy a relay the test can switch to strip CORS headers, drop connections or hold answers,
 * as networks and misconfigured hosts do. A second relay between the proxy and the backend can
 * play a queue of backend answers for the next creates (for codes no real state produces on
 * demand, such as `idempotency_key_in_use`). Everything else is the real thing.
 */

type FrontMode = 'pass' | 'strip-cors' | 'down' | 'hold';

interface Scripted {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

interface Fixture {
  id: string;
  conferenceId: string;
  apiKey: string;
  front: { mode: FrontMode; holdMs: number };
  requests: { method: string; path: string; idempotencyKey?: string | undefined; submissionId?: string | undefined }[];
  script: Scripted[];
  close: () => Promise<void>;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Forwards one request to `target`; `edit` may change the answer's headers. */
async function forward(
  req: IncomingMessage,
  res: ServerResponse,
  target: string,
  edit: (headers: Record<string, unknown>) => void = () => {},
  holdMs = 0,
) {
  // A browser that gave up (a timeout) closes its side: nothing is left to answer.
  res.on('error', () => {});
  let body: Buffer;
  try {
    body = await readBody(req);
  } catch {
    return;
  }
  const headers = { ...req.headers, host: new URL(target).host };
  const upstream = httpRequest(`${target}${req.url}`, { method: req.method, headers }, (answer) => {
    const out: Record<string, unknown> = { ...answer.headers };
    edit(out);
    const chunks: Buffer[] = [];
    answer.on('data', (chunk: Buffer) => chunks.push(chunk));
    answer.on('end', () =>
      setTimeout(() => {
        if (res.destroyed) return;
        res.writeHead(answer.statusCode ?? 502, out as Record<string, string>).end(Buffer.concat(chunks));
      }, holdMs),
    );
  });
  upstream.on('error', () => res.destroy());
  upstream.end(body);
}

function submissionIdOf(url: string): string | undefined {
  const jsonData = new URL(url, 'http://x').searchParams.get('jsonData');
  try {
    return jsonData ? (JSON.parse(jsonData) as { submissionId?: string }).submissionId : undefined;
  } catch {
    return undefined;
  }
}

export interface FixtureRequest {
  /** Top-level keys of the test conference file to replace (test/helpers/backend.ts `conferenceFile`). */
  conference?: Record<string, unknown>;
  /** Submits per client per minute at the proxy; default: no limit. */
  rateLimit?: number;
  /** The proxy's deadline for the backend, in ms. */
  timeoutMs?: number;
}

export async function startWidgetFixtures() {
  configureContractMessages();
  const backend: TestBackend = await startBackend();
  const fixtures = new Map<string, Fixture>();
  let count = 0;

  async function create(options: FixtureRequest, origin: string) {
    const { apiKey, conferenceId } = await seedConference(backend.store, options.conference ?? {});
    const fixture: Fixture = {
      id: String(++count),
      conferenceId,
      apiKey,
      front: { mode: 'pass', holdMs: 0 },
      requests: [],
      script: [],
      close: async () => {},
    };

    const upstream = createServer((req, res) => {
      const next = req.method === 'POST' && req.url?.endsWith('/registrations/registrations') ? fixture.script.shift() : undefined;
      if (!next) return void forward(req, res, backend.url);
      void readBody(req).then(() =>
        res.writeHead(next.status, { 'content-type': 'application/json', ...next.headers }).end(JSON.stringify(next.body)),
      );
    });
    const upstreamUrl = await listen(upstream);

    const timeoutMs = options.timeoutMs ?? 5_000;
    const app = createApp({
      client: createConferaPublicClient({ baseUrl: upstreamUrl, apiKey, timeoutMs, userAgent: 'widget-test' }),
      logger: createLogger({ name: 'confera-proxy', level: 'warn', destination: memoryLog().destination }),
      config: {
        allowedOrigins: [origin],
        rateLimit: { limit: options.rateLimit ?? 0, windowMs: 60_000 },
        configCacheMs: 0,
        trustProxy: false,
      },
      widgetFile: '/nonexistent/confera-registration.js',
      receipts: localReceiptStore(mkdtempSync(join(tmpdir(), 'confera-receipts-'))),
    });
    const proxy = createProxyServer(app, { upstreamTimeoutMs: timeoutMs });
    const proxyUrl = await listen(proxy);

    // As large a request head as the proxy takes (MAX_HEADER_BYTES): a JSONP submit is all URL.
    const front = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
      if (req.url?.startsWith('/api/registration') && req.method !== 'OPTIONS') {
        const idempotencyKey = req.headers['idempotency-key'] as string | undefined;
        fixture.requests.push({
          method: req.method ?? '',
          path: (req.url ?? '').split('?')[0]!,
          idempotencyKey,
          submissionId: submissionIdOf(req.url ?? ''),
        });
      }
      // A preflight always passes: what is dropped or held is the request itself, so that the
      // test sees its idempotency key (a browser sends none in the preflight).
      const { mode, holdMs } = req.method === 'OPTIONS' ? { mode: 'pass', holdMs: 0 } : fixture.front;
      if (mode === 'down') return void req.socket.destroy();
      // `hold`: the request goes through at once, its answer comes `holdMs` later (a slow backend).
      void forward(
        req,
        res,
        proxyUrl,
        (headers) => {
          if (mode === 'strip-cors') for (const name of Object.keys(headers)) if (name.startsWith('access-control-')) delete headers[name];
        },
        mode === 'hold' ? holdMs : 0,
      );
    });
    const frontUrl = await listen(front);

    fixture.close = async () => {
      await Promise.all([close(front), close(proxy), close(upstream)]);
    };
    fixtures.set(fixture.id, fixture);
    return { id: fixture.id, conferenceId, endpoint: `${frontUrl}/api/registration`, origin: frontUrl };
  }

  async function registrations(fixture: Fixture) {
    const answer = await fetch(`${backend.api}/registrations/registrations?limit=200`, { headers: { 'x-api-key': fixture.apiKey } });
    return ((await answer.json()) as { data: unknown[] }).data;
  }

  /**
   * A page under the strict policy the README gives to hosts (`script-src <proxy>; connect-src
   * <proxy>; style-src 'self'`, nothing else), embedding the widget with the two lines. Its one
   * script of its own, csp-watch.js, records every violation in `window.violations`.
   */
  function strictPage(ctx: any) {
    const endpoint = new URL(String(ctx.query.endpoint));
    const transport = String(ctx.query.transport ?? 'auto').replace(/[^a-z]/g, '');
    ctx.set(
      'content-security-policy',
      `default-src 'none'; script-src 'self' ${endpoint.origin}; connect-src ${endpoint.origin}; style-src 'self'; base-uri 'none'`,
    );
    ctx.type = 'text/html';
    ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>strict</title>
<script src="/__confera/csp-watch.js"></script>
<script type="module" src="/widget/confera-registration.ts"></script></head>
<body><confera-registration endpoint="${endpoint.href}" transport="${transport}"></confera-registration></body></html>`;
  }

  /** Koa middleware for @web/dev-server: everything under /__confera/. */
  async function middleware(ctx: any, next: () => Promise<void>) {
    if (ctx.path === '/__confera/strict-page') return strictPage(ctx);
    if (ctx.path === '/__confera/csp-watch.js') {
      ctx.type = 'application/javascript';
      ctx.body = `window.violations = []; document.addEventListener('securitypolicyviolation', (e) => window.violations.push(e.violatedDirective + ' ' + e.blockedURI));`;
      return;
    }
    const match = /^\/__confera\/fixture(?:\/(\d+)\/(\w+))?$/.exec(ctx.path);
    if (!match) return next();
    const input = ctx.method === 'POST' ? JSON.parse((await readBody(ctx.req)).toString() || '{}') : {};
    ctx.type = 'application/json';
    ctx.set('cache-control', 'no-store');
    if (!match[1]) {
      ctx.body = JSON.stringify(await create(input, ctx.get('origin') || `http://${ctx.host}`));
      return;
    }
    const fixture = fixtures.get(match[1]);
    if (!fixture) {
      ctx.status = 404;
      ctx.body = '{}';
      return;
    }
    switch (match[2]) {
      case 'front':
        fixture.front = { mode: input.mode, holdMs: input.holdMs ?? 0 };
        ctx.body = '{}';
        return;
      case 'script':
        fixture.script.push(...(input.answers as Scripted[]));
        ctx.body = '{}';
        return;
      case 'conference':
        // A merge patch of the conference, as `confera-admin conference update` applies it.
        await updateConference(backend.store.db, fixture.conferenceId, input, new Date());
        ctx.body = '{}';
        return;
      case 'requests':
        ctx.body = JSON.stringify(fixture.requests);
        return;
      case 'registrations':
        ctx.body = JSON.stringify(await registrations(fixture));
        return;
    }
    return next();
  }

  return {
    middleware,
    async close() {
      await Promise.all([...fixtures.values()].map((f) => f.close()));
      await backend.close();
    },
  };
}
