import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Frame, type Locator, type Page } from 'playwright-core';
import { updateConference } from '../../backend/services/conferences.js';
import { migrate } from '../../backend/storage/migrate.js';
import { openDatabase, type Store } from '../../backend/storage/database.js';
import { configureContractMessages } from '../../contract/index.js';
import { DEMO_ID, seedDemo } from '../../demo/seed.js';
import { createDemoSite } from '../../demo/server.js';
import { ensureWidgetBuilt } from '../../scripts/ensure-widget.js';
import { spawnBackend, spawnProxy, type ServerProcess } from '../helpers/process.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCREENSHOTS = join(ROOT, 'dist', 'screenshots');

/**
 * A screenshot of what the visitor sees, in dist/screenshots/ on every run; with
 * `UPDATE_SCREENSHOTS=1`, also the README's copy in docs/images/ (kept out of plain test runs,
 * which should not change tracked files).
 */
export async function screenshot(target: Locator, name: string): Promise<void> {
  const image = await target.screenshot({ path: join(SCREENSHOTS, name) });
  if (process.env.UPDATE_SCREENSHOTS === '1') writeFileSync(join(ROOT, 'docs', 'images', name), image);
}

/**
 * The product as a customer runs it (issue 11): the backend and the proxy in processes of
 * their own, the demo site on another origin, the demo conference seeded, and Debian's
 * Chromium. The proxy reads the config fresh on each request (`CONFIG_CACHE_MS=0`) so a
 * test can change the conference; submits are not rate-limited.
 */
export interface Stack {
  site: string;
  /** The proxy as the site reaches it (through the relay). */
  proxyUrl: string;
  /** A third origin, refused by the proxy: pages a test puts there with `hostPage`. */
  host: string;
  /** Serves `html` at `path` on the host origin (`{{PROXY}}` is the proxy's URL). */
  hostPage(path: string, html: string): string;
  /** While true, the relay drops the CORS headers of the proxy's API answers (not of JSONP). */
  stripCors: boolean;
  store: Store;
  /** The proxy's RECEIPTS_DIR (`pending/`, `kept/`). */
  receiptsDir: string;
  browser: Browser;
  backend: ServerProcess;
  /** Starts the backend again on the same port (after `backend.stop()`). */
  restartBackend(): Promise<void>;
  /** Changes the demo conference (a merge patch, as the admin CLI takes). */
  patchConference(patch: Record<string, unknown>): Promise<void>;
  /** The demo conference's registrations as stored. */
  registrations(): Promise<
    { reference: string; email: string; ticket_type_id: string; last_name: string; payment_proof_url: string | null }[]
  >;
  stop(): Promise<void>;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

export async function startStack(): Promise<Stack> {
  configureContractMessages();
  ensureWidgetBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'confera-e2e-'));
  const databaseUrl = `sqlite:${join(dir, 'e2e.db')}`;
  const store = openDatabase(databaseUrl);
  await migrate(store);
  const apiKey = await seedDemo(store.db, new Date());
  // The site's origin must be known before the proxy starts: it is the one origin allowed.
  const siteServer = createServer();
  const site = `http://127.0.0.1:${await listen(siteServer)}`;
  let backend = await spawnBackend({ DATABASE_URL: databaseUrl });
  const backendPort = new URL(backend.url).port;
  const proxy = await spawnProxy({
    CONFERA_BASE_URL: backend.url,
    CONFERA_API_KEY: apiKey,
    ALLOWED_ORIGINS: site,
    CONFIG_CACHE_MS: '0',
    RATE_LIMIT_SUBMITS: '0',
    CONFERA_TIMEOUT_MS: '3000',
    RECEIPTS_DIR: join(dir, 'receipts'),
  });
  // The site reaches the proxy through a relay that can strip the CORS headers on the way,
  // as some corporate proxies do (the widget must then fall back to JSONP).
  const relay = createServer((req, res) => {
    const upstream = request(proxy.url + req.url, { method: req.method, headers: req.headers }, (answer) => {
      const headers = { ...answer.headers };
      const jsonp = /[?&]callback=/.test(req.url ?? '');
      if (stack.stripCors && req.url?.startsWith('/api/') && !jsonp) {
        for (const name of Object.keys(headers)) if (name.startsWith('access-control-')) delete headers[name];
      }
      res.writeHead(answer.statusCode ?? 502, headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  const proxyUrl = `http://127.0.0.1:${await listen(relay)}`;
  siteServer.on('request', createDemoSite({ proxyUrl }));
  const hostPages = new Map<string, string>();
  const hostServer = createServer((req, res) => {
    const page = hostPages.get(req.url ?? '');
    res.writeHead(page ? 200 : req.url === '/favicon.ico' ? 204 : 404, { 'content-type': 'text/html; charset=utf-8' }).end(page ?? '');
  });
  const host = `http://127.0.0.1:${await listen(hostServer)}`;
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  mkdirSync(SCREENSHOTS, { recursive: true });
  const stack: Stack = {
    site,
    proxyUrl,
    stripCors: false,
    host,
    hostPage(path, html) {
      hostPages.set(path, html.replaceAll('{{PROXY}}', proxyUrl));
      return host + path;
    },
    store,
    receiptsDir: join(dir, 'receipts'),
    browser,
    get backend() {
      return backend;
    },
    async restartBackend() {
      backend = await spawnBackend({ DATABASE_URL: databaseUrl, PORT: backendPort });
    },
    async patchConference(patch) {
      await updateConference(store.db, DEMO_ID, patch, new Date());
    },
    registrations: () =>
      store.db
        .selectFrom('registrations')
        .select(['reference', 'email', 'ticket_type_id', 'last_name', 'payment_proof_url'])
        .where('conference_id', '=', DEMO_ID)
        .execute(),
    async stop() {
      await browser.close();
      await proxy.stop();
      await backend.stop();
      await store.close();
      for (const server of [siteServer, relay, hostServer]) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return stack;
}

/** A fresh page on the demo site, every console error and CSP violation kept. */
export async function openPage(stack: Stack, path: string, options: { colorScheme?: 'light' | 'dark'; width?: number } = {}) {
  const context = await stack.browser.newContext({
    viewport: { width: options.width ?? 1100, height: 900 },
    colorScheme: options.colorScheme ?? 'light',
  });
  const page = await context.newPage();
  // The context goes with its page; at the end the browser may already be closing it.
  page.once('close', () => void context.close().catch(() => undefined));
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.addInitScript({
    content:
      "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));",
  });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  await page.goto(stack.site + path);
  return { page, problems };
}

// Page scripts are strings: this file has Node's types, not the DOM's.
const FOCUSED = `(() => {
  let active = document.activeElement;
  while (active && active.shadowRoot && active.shadowRoot.activeElement) active = active.shadowRoot.activeElement;
  if (!active) return '';
  const id = active.id ? '#' + active.id : '';
  const name = active.name ? '[name=' + active.name + ']' : '';
  const value = active.type === 'radio' ? '[value=' + active.value + ']' : '';
  return active.tagName.toLowerCase() + id + name + value;
})()`;

/** The element's shadow-root element that has focus, described (`input#f-email`), for keyboard-only tests. */
export function focused(target: Page | Frame): Promise<string> {
  return target.evaluate(FOCUSED) as Promise<string>;
}

/** Presses Tab until the focused element (in `target`, the page or a frame of it) matches, at most `limit` times. */
export async function tabTo(page: Page, matches: (described: string) => boolean, limit = 60, target: Page | Frame = page): Promise<string> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const now = await focused(target);
    if (matches(now)) return now;
  }
  throw new Error(`Tab never reached the element; last focused: ${await focused(target)}`);
}

export interface Person {
  first: string;
  last: string;
  email: string;
}

/** Fills the demo conference's required answers in a widget (`el` is its locator): a ticket, the names, the e-mail, the code of conduct. */
export async function fillForm(el: Locator, who: Person, ticket = 'community'): Promise<void> {
  await el.locator(`input[name=ticketTypeId][value=${ticket}]`).check();
  await el.locator('#f-firstName').fill(who.first);
  await el.locator('#f-lastName').fill(who.last);
  await el.locator('#f-email').fill(who.email);
  await el.locator('#f-codeOfConduct').check();
}
