import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { proxyConfig, readProxyEnv } from '../../proxy-server/env.js';
import { person, seedConference, startBackend, type TestBackend } from '../helpers/backend.js';
import { eventually } from '../helpers/eventually.js';
import { call, scanEachTestForLeaks, postJson, startSlowRelay, watchLogs } from './support.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const KEY = `cat_${'k'.repeat(42)}`;
const GOOD = { CONFERA_BASE_URL: 'http://127.0.0.1:4000', CONFERA_API_KEY: KEY, ALLOWED_ORIGINS: 'https://www.example.org' };

/** `proxy-server/server.ts` in its own process, as `npm run proxy` runs it. */
function spawnProxy(env: Record<string, string>): { child: ChildProcess; output: string[]; stderr: string[]; url: Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'proxy-server/server.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const stderr: string[] = [];
  watchLogs(output);
  child.stderr!.on('data', (chunk) => {
    output.push(String(chunk));
    stderr.push(String(chunk));
  });
  const url = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      output.push(String(chunk));
      const match = /listening on (http:\/\/\S+)/.exec(output.join(''));
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`proxy exited with ${code}`)));
  });
  url.catch(() => {});
  return { child, output, stderr, url };
}

/** Whether a new TCP connection to `url` is taken (a graceful shutdown stops listening first). */
function accepts(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Sends a submit, SIGTERMs the proxy once the relay holds it, and asserts what a graceful
 * shutdown owes: the submit in flight still gets its 201, and the process then exits 0.
 * `release` (a gated relay) lets the submit through only once the proxy has stopped
 * listening, so that the answer certainly comes during the shutdown.
 */
async function assertSubmitOutlivesSigterm(
  proxy: ReturnType<typeof spawnProxy>,
  url: string,
  body: unknown,
  relay: Awaited<ReturnType<typeof startSlowRelay>>,
  release?: () => void,
) {
  const before = relay.received();
  const inFlight = postJson(`${url}/api/registration`, body);
  await eventually(() => relay.received() > before, { what: 'the submit to reach the backend relay' });
  const exited = once(proxy.child, 'exit');
  proxy.child.kill('SIGTERM');
  if (release) {
    await eventually(async () => !(await accepts(url)), { what: 'the proxy to stop listening' });
    release();
  }
  const answer = await inFlight;
  assert.equal(answer.status, 201);
  const [code] = await exited;
  assert.equal(code, 0);
}

describe('the proxy environment', () => {
  it('refuses TRUST_PROXY=true (any client could pick its IP) with a message naming it', () => {
    assert.throws(
      () => readProxyEnv({ ...GOOD, TRUST_PROXY: 'true' }),
      (error: Error) => /TRUST_PROXY: .*give the number of proxies/.test(error.message),
    );
  });

  it('applies the SPEC defaults', () => {
    const env = readProxyEnv(GOOD);
    assert.equal(env.PORT, 3000);
    assert.equal(env.CONFERA_TIMEOUT_MS, 12_000);
    assert.deepEqual(env.ALLOWED_ORIGINS, ['https://www.example.org']);
    assert.equal(proxyConfig(env).trustProxy, false);
    assert.equal(env.SHUTDOWN_TIMEOUT_MS, 17_000);
  });

  it('waits at shutdown longer than a backend call may take: CONFERA_TIMEOUT_MS + 5 s by default', () => {
    assert.equal(readProxyEnv({ ...GOOD, CONFERA_TIMEOUT_MS: '30000' }).SHUTDOWN_TIMEOUT_MS, 35_000);
    assert.equal(readProxyEnv({ ...GOOD, CONFERA_TIMEOUT_MS: '30000', SHUTDOWN_TIMEOUT_MS: '30001' }).SHUTDOWN_TIMEOUT_MS, 30_001);
    for (const value of ['12000', '5000']) {
      assert.throws(
        () => readProxyEnv({ ...GOOD, SHUTDOWN_TIMEOUT_MS: value }),
        (error: Error) => /SHUTDOWN_TIMEOUT_MS: Must be longer than CONFERA_TIMEOUT_MS/.test(error.message),
      );
    }
  });

  it('reads a comma list of origins, normalised as browsers send them, or *', () => {
    assert.deepEqual(readProxyEnv({ ...GOOD, ALLOWED_ORIGINS: 'https://a.example:443/, http://localhost:8080' }).ALLOWED_ORIGINS, [
      'https://a.example',
      'http://localhost:8080',
    ]);
    assert.equal(readProxyEnv({ ...GOOD, ALLOWED_ORIGINS: '*' }).ALLOWED_ORIGINS, '*');
  });

  it('reads TRUST_PROXY as Express understands it', () => {
    assert.equal(proxyConfig(readProxyEnv({ ...GOOD, TRUST_PROXY: '' })).trustProxy, false);
    assert.equal(proxyConfig(readProxyEnv({ ...GOOD, TRUST_PROXY: 'false' })).trustProxy, false);
    assert.equal(proxyConfig(readProxyEnv({ ...GOOD, TRUST_PROXY: '2' })).trustProxy, 2);
    assert.equal(proxyConfig(readProxyEnv({ ...GOOD, TRUST_PROXY: 'loopback' })).trustProxy, 'loopback');
  });

  it('keeps receipts in ./data/receipts and takes 10 uploads a minute by default', () => {
    const env = readProxyEnv(GOOD);
    assert.equal(env.RECEIPTS_DIR, './data/receipts');
    assert.deepEqual(proxyConfig(env).receiptRateLimit, { limit: 10, windowMs: 60_000 });
  });

  it("reads PUBLIC_URL as an origin (the receipts' links), unset by default", () => {
    assert.equal(proxyConfig(readProxyEnv(GOOD)).publicUrl, undefined);
    assert.equal(proxyConfig(readProxyEnv({ ...GOOD, PUBLIC_URL: 'http://localhost:3000' })).publicUrl, 'http://localhost:3000');
    assert.equal(
      proxyConfig(readProxyEnv({ ...GOOD, PUBLIC_URL: 'https://Register.Example.org:443/' })).publicUrl,
      'https://register.example.org',
    );
  });

  const bad: [string, Record<string, string | undefined>][] = [
    ['CONFERA_BASE_URL', { CONFERA_BASE_URL: undefined }],
    ['CONFERA_BASE_URL', { CONFERA_BASE_URL: 'ftp://x' }],
    ['CONFERA_API_KEY', { CONFERA_API_KEY: undefined }],
    ['CONFERA_API_KEY', { CONFERA_API_KEY: 'cat_tooshortSECRETPART' }],
    ['ALLOWED_ORIGINS', { ALLOWED_ORIGINS: undefined }],
    ['ALLOWED_ORIGINS', { ALLOWED_ORIGINS: 'https://a.example/path' }],
    ['ALLOWED_ORIGINS', { ALLOWED_ORIGINS: 'null' }],
    ['PORT', { PORT: 'eighty' }],
    ['CONFERA_TIMEOUT_MS', { CONFERA_TIMEOUT_MS: '-1' }],
    ['RATE_LIMIT_SUBMITS', { RATE_LIMIT_SUBMITS: 'many' }],
    ['RATE_LIMIT_WINDOW_MS', { RATE_LIMIT_WINDOW_MS: '0' }],
    ['RATE_LIMIT_RECEIPTS', { RATE_LIMIT_RECEIPTS: '-1' }],
    ['SHUTDOWN_TIMEOUT_MS', { SHUTDOWN_TIMEOUT_MS: '0' }],
    ['SHUTDOWN_TIMEOUT_MS', { SHUTDOWN_TIMEOUT_MS: '1000' }],
    ['PUBLIC_URL', { PUBLIC_URL: 'https://register.example.org/forms' }],
    ['PUBLIC_URL', { PUBLIC_URL: 'register.example.org' }],
    ['PUBLIC_URL', { PUBLIC_URL: 'http://register.example.org' }],
  ];
  for (const [name, change] of bad) {
    it(`refuses ${name}=${String(Object.values(change)[0])} with a message naming ${name}`, () => {
      assert.throws(
        () => readProxyEnv({ ...GOOD, ...change }),
        (error: Error) => error.message.includes(name) && !error.message.includes('SECRETPART'),
      );
    });
  }
});

describe('npm run proxy (proxy-server/server.ts)', () => {
  let backend: TestBackend;
  let apiKey: string;
  scanEachTestForLeaks(() => [apiKey, KEY]);

  before(async () => {
    backend = await startBackend();
    watchLogs(backend.logs);
    apiKey = (await seedConference(backend.store)).apiKey;
  });
  after(async () => {
    await backend.close();
  });

  it('does not start with a bad variable, and says which', async () => {
    const { child, output } = spawnProxy({ ...GOOD, CONFERA_API_KEY: 'cat_SECRETbutwrong', ALLOWED_ORIGINS: 'https://x.example/path' });
    const [code] = await once(child, 'exit');
    assert.equal(code, 1);
    const text = output.join('');
    assert.match(text, /CONFERA_API_KEY/);
    assert.match(text, /ALLOWED_ORIGINS/);
    assert.ok(!text.includes('SECRETbutwrong'));
  });

  it('serves, and on SIGTERM finishes the submit in flight before it exits', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const relay = await startSlowRelay(backend.url, () => gate);
    const proxy = spawnProxy({ CONFERA_BASE_URL: relay.url, CONFERA_API_KEY: apiKey, ALLOWED_ORIGINS: 'https://www.example.org' });
    try {
      const url = await proxy.url;
      assert.equal((await call(`${url}/healthz`)).status, 200);
      await assertSubmitOutlivesSigterm(proxy, url, person(1), relay, release);
      await assert.rejects(fetch(`${url}/healthz`), 'no new connections after shutdown');
    } finally {
      if (proxy.child.exitCode === null) proxy.child.kill('SIGKILL');
      await relay.close();
    }
  });

  it('writes nothing to stderr for a submit with X-Forwarded-For while TRUST_PROXY is unset', async () => {
    const proxy = spawnProxy({ CONFERA_BASE_URL: backend.url, CONFERA_API_KEY: apiKey, ALLOWED_ORIGINS: 'https://www.example.org' });
    try {
      const url = await proxy.url;
      const answer = await postJson(`${url}/api/registration`, person(3), { 'x-forwarded-for': '198.51.100.7' });
      assert.equal(answer.status, 201);
      const exited = once(proxy.child, 'exit');
      proxy.child.kill('SIGTERM');
      await exited;
      assert.equal(proxy.stderr.join(''), '');
      assert.match(proxy.output.join(''), /"check":"ERR_ERL_UNEXPECTED_X_FORWARDED_FOR"/);
    } finally {
      if (proxy.child.exitCode === null) proxy.child.kill('SIGKILL');
    }
  });

  it('with the default SHUTDOWN_TIMEOUT_MS, still finishes a submit the backend takes over 10 s to answer', async () => {
    // 10 s was the old default: shorter than the default CONFERA_TIMEOUT_MS (12 s).
    const relay = await startSlowRelay(backend.url, () => 10_500);
    const proxy = spawnProxy({ CONFERA_BASE_URL: relay.url, CONFERA_API_KEY: apiKey, ALLOWED_ORIGINS: 'https://www.example.org' });
    try {
      const url = await proxy.url;
      await assertSubmitOutlivesSigterm(proxy, url, person(2), relay);
    } finally {
      if (proxy.child.exitCode === null) proxy.child.kill('SIGKILL');
      await relay.close();
    }
  });
});
