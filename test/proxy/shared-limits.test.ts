import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { person, seedConference } from '../helpers/backend.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { eventually } from '../helpers/eventually.js';
import { spawnBackend, spawnProxy, type BackendProcess, type ServerProcess } from '../helpers/process.js';
import { REDIS_SKIP, startRedis, type TestRedis } from '../helpers/redis.js';

const WARNING = 'Redis does not answer';

async function submit(proxy: ServerProcess, n: number | string): Promise<number> {
  const response = await fetch(`${proxy.url}/api/registration`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(person(n)),
  });
  await response.arrayBuffer();
  return response.status;
}

async function countersOf(server: { url: string }): Promise<unknown> {
  const response = await fetch(`${server.url}/readyz`);
  return ((await response.json()) as { counters?: unknown }).counters;
}

const warnings = (server: ServerProcess) =>
  server.output
    .join('')
    .split('\n')
    .filter((line) => line.includes(WARNING)).length;

describe('two proxies on one Redis, in front of one backend (SPEC §3e)', { skip: REDIS_SKIP }, () => {
  let redis: TestRedis;
  let database: TestDatabase;
  let backend: BackendProcess;
  let proxies: ServerProcess[] = [];

  before(async () => {
    redis = await startRedis();
    database = await createTestDatabase('sqlite');
    const store = await database.open();
    const { apiKey } = await seedConference(store);
    await store.close();
    backend = await spawnBackend({ DATABASE_URL: database.url, REDIS_URL: redis.url, RATE_LIMIT_PER_MINUTE: '1000' });
    const env = {
      CONFERA_BASE_URL: backend.url,
      CONFERA_API_KEY: apiKey,
      ALLOWED_ORIGINS: '*',
      RATE_LIMIT_SUBMITS: '3',
      REDIS_URL: redis.url,
    };
    proxies = await Promise.all([spawnProxy(env), spawnProxy(env)]);
    await eventually(async () => (await countersOf(proxies[0]!)) === 'shared' && (await countersOf(proxies[1]!)) === 'shared', {
      what: 'both proxies sharing their counters',
    });
  });
  after(async () => {
    await Promise.all([...proxies, backend].map((server) => server?.stop()));
    await database?.drop();
    await redis?.stop();
  });

  it('limits a client that alternates between them once, in total', async () => {
    const statuses: number[] = [];
    for (let n = 0; n < 6; n++) statuses.push(await submit(proxies[n % 2]!, `alternating${n}`));
    assert.deepEqual(statuses, [201, 201, 201, 429, 429, 429]);
    assert.equal(await countersOf(backend), 'shared');
  });

  it('serves requests while Redis is stopped, warns once, says degraded, and shares again when it is back', async () => {
    await redis.stop();
    // Fail open: this client's budget is spent, and still every submit is served.
    await eventually(async () => (await submit(proxies[0]!, `open${Math.random()}`)) === 201, { what: 'a submit served without Redis' });
    for (let n = 0; n < 4; n++) assert.equal(await submit(proxies[n % 2]!, `down${n}`), 201);
    assert.equal(await countersOf(proxies[0]!), 'degraded');
    assert.equal(await countersOf(proxies[1]!), 'degraded');
    const ready = await fetch(`${backend.url}/readyz`);
    assert.equal(ready.status, 200, 'degraded is still ready');
    assert.equal(((await ready.json()) as { counters: string }).counters, 'degraded');
    // node-redis retries every 2 s at most: several failed reconnects, one warning.
    await eventually(() => warnings(proxies[0]!) >= 1, { what: 'the warning' });
    assert.equal(warnings(proxies[0]!), 1);
    assert.equal(warnings(proxies[1]!), 1);
    assert.ok(!proxies[0]!.output.join('').includes(redis.url), 'the URL is not logged');

    await redis.start();
    await eventually(async () => (await countersOf(proxies[0]!)) === 'shared' && (await countersOf(proxies[1]!)) === 'shared', {
      timeoutMs: 15_000,
      what: 'both proxies sharing again',
    });
    // The restarted Redis kept nothing: a new budget of 3, shared again.
    const statuses: number[] = [];
    for (let n = 0; n < 4; n++) statuses.push(await submit(proxies[n % 2]!, `again${n}`));
    assert.deepEqual(statuses, [201, 201, 201, 429]);
    assert.equal(warnings(proxies[0]!), 1, 'still one warning');
  });
});
