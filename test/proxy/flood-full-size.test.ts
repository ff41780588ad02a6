import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { readEnv } from '../../backend/env.js';
import { readProxyEnv } from '../../proxy-server/env.js';
import { person, seedConference } from '../helpers/backend.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { spawnBackend, spawnProxy, type BackendProcess, type ServerProcess } from '../helpers/process.js';

const FLOOD = 20_000;
const IN_FLIGHT = 32;

/** The limits a new user runs with: both servers' defaults, read from their own env parsers. */
const backendDefaults = readEnv({});
const proxyDefaults = readProxyEnv({
  CONFERA_BASE_URL: 'http://127.0.0.1:1',
  CONFERA_API_KEY: `cat_${'x'.repeat(32)}`,
  ALLOWED_ORIGINS: '*',
});
const PER_ADDRESS = proxyDefaults.RATE_LIMIT_SUBMITS;

/**
 * Issue 14, at the size it was reported: 20,000 submits through the proxy, each forwarded
 * address under the proxy's limit, used up the backend's per-key budget (then 6,000 a minute)
 * after 5,999, and every real visitor got 429 for the rest of the minute. Both servers run as
 * a new user starts them (their own processes, default limits, SQLite), the flood from this
 * process over keep-alive connections.
 */
describe('a flood of 20,000 submits at the default limits (issue 14)', () => {
  let database: TestDatabase;
  let backend: BackendProcess;
  let proxy: ServerProcess;
  before(async () => {
    database = await createTestDatabase('sqlite');
    const store = await database.open();
    const { apiKey } = await seedConference(store);
    await store.close();
    backend = await spawnBackend({
      DATABASE_URL: database.url,
      RATE_LIMIT_PER_MINUTE: String(backendDefaults.RATE_LIMIT_PER_MINUTE),
      RATE_LIMIT_PER_CLIENT_PER_MINUTE: String(backendDefaults.RATE_LIMIT_PER_CLIENT_PER_MINUTE),
    });
    proxy = await spawnProxy({ CONFERA_BASE_URL: backend.url, CONFERA_API_KEY: apiKey, ALLOWED_ORIGINS: '*', TRUST_PROXY: 'loopback' });
  });
  after(async () => {
    await proxy?.stop();
    await backend?.stop();
    await database?.drop();
  });

  const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
  after(() => agent.destroy());
  function submit(body: unknown, address: string): Promise<number> {
    const payload = Buffer.from(JSON.stringify(body));
    const { hostname, port } = new URL(proxy.url);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          agent,
          host: hostname,
          port,
          method: 'POST',
          path: '/api/registration',
          headers: { 'content-type': 'application/json', 'content-length': payload.length, 'x-forwarded-for': address },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  it('leaves a real visitor served: every address had its own budget, the key’s ceiling held them all', async () => {
    assert.ok(FLOOD > 6_000 && FLOOD <= backendDefaults.RATE_LIMIT_PER_MINUTE, 'past the old per-key budget, within the ceiling');
    const addresses = FLOOD / PER_ADDRESS;
    const statuses = new Map<number, number>();
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        for (let i = next++; i < FLOOD; i = next++) {
          // Address a sends its submits (a, a + addresses, …): PER_ADDRESS each, spread over the run.
          const a = i % addresses;
          const status = await submit(person(`flood-${i}`), `198.18.${a >> 8}.${a & 255}`);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
      }),
    );
    assert.deepEqual(Object.fromEntries(statuses), { 201: FLOOD });
    assert.equal(await submit(person('real-visitor'), '203.0.113.7'), 201);
  });
});
