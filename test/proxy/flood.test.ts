import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { person, postRegistration, seedConference, startBackend, type TestBackend } from '../helpers/backend.js';
import { postJson, scanEachTestForLeaks, startProxy, watchLogs, type TestProxy } from './support.js';

// Scaled down from the defaults (a ceiling of 60,000 a minute per key, 60 per key and client,
// 10 submits per address at the proxy), in the same order: client budget < ceiling.
const CEILING = 250;
const PER_CLIENT = 5;

const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

describe('a flood through the proxy (issue 14)', () => {
  scanEachTestForLeaks();
  let backend: TestBackend;
  const proxies: TestProxy[] = [];
  before(async () => {
    backend = await startBackend({ rateLimitPerMinute: CEILING, rateLimitPerClientPerMinute: PER_CLIENT });
    watchLogs(backend.logs);
  });
  after(async () => {
    await Promise.all(proxies.map((p) => p.close()));
    await backend?.close();
  });

  async function proxyFor(limit: number) {
    const { apiKey } = await seedConference(backend.store);
    const proxy = await startProxy({
      backendUrl: backend.url,
      apiKey,
      config: { rateLimit: { limit, windowMs: 60_000 }, trustProxy: 'loopback' },
    });
    proxies.push(proxy);
    return { apiKey, endpoint: `${proxy.url}/api/registration` };
  }

  const from = (address: string) => ({ 'x-forwarded-for': address });

  it('from many addresses, each under the proxy limit, leaves a real visitor served', async () => {
    const { endpoint } = await proxyFor(10);
    const statuses: number[] = [];
    // 40 addresses × 8 submits = 320, more than the key's ceiling; each address under the proxy's 10.
    for (let round = 0; round < 8; round++) {
      const wave = Array.from({ length: 40 }, (_, a) => postJson(endpoint, person(`flood-${a}-${round}`), from(`198.51.100.${a + 1}`)));
      statuses.push(...(await Promise.all(wave)).map((answer) => answer.status));
    }
    // Each address got its own budget at the backend; its refusals spent nothing of the ceiling.
    assert.equal(count(statuses, 201), 40 * PER_CLIENT);
    assert.equal(count(statuses, 429), 40 * (8 - PER_CLIENT));
    const visitor = await postJson(endpoint, person('real-visitor'), from('203.0.113.7'));
    assert.equal(visitor.status, 201);
  });

  it('from one address that the proxy does not stop spends only that address’s budget', async () => {
    const { endpoint } = await proxyFor(0);
    const statuses: number[] = [];
    for (let wave = 0; wave < 6; wave++) {
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) => postJson(endpoint, person(`one-${wave}-${i}`), from('192.0.2.66'))),
      );
      statuses.push(...answers.map((answer) => answer.status));
    }
    assert.equal(statuses.length, 300, 'more than the ceiling');
    assert.equal(count(statuses, 201), PER_CLIENT);
    const visitor = await postJson(endpoint, person('another-visitor'), from('203.0.113.8'));
    assert.equal(visitor.status, 201);
  });

  it('gives a forwarded value that is not an IP address no budget of its own at the proxy', async () => {
    const { endpoint } = await proxyFor(2);
    assert.equal((await postJson(endpoint, person('not-ip-1'), from('notanip'))).status, 201);
    assert.equal((await postJson(endpoint, person('not-ip-2'), from('9.9.9.9:1234'))).status, 201);
    // Both counted as the hop that sent them (here 127.0.0.1): its budget is spent.
    const third = await postJson(endpoint, person('not-ip-3'));
    assert.equal(third.status, 429);
    assert.equal(third.json.code, 'rate_limited');
  });

  it('gives a trusted hop’s Confera-Client-Address that is not an IP address no budget of its own at the backend', async () => {
    const { apiKey } = await seedConference(backend.store);
    // PER_CLIENT + 1 requests naming "notanip" all pass: they count on the key's ceiling alone.
    for (let n = 0; n <= PER_CLIENT; n++) {
      const answer = await postRegistration(backend, apiKey, person(`named-${n}`), { 'confera-client-address': 'notanip' });
      assert.equal(answer.status, 201);
    }
    const named = await postRegistration(backend, apiKey, person('named-ip'), { 'confera-client-address': '192.0.2.99' });
    assert.equal(named.status, 201);
  });
});

describe('the backend and a Confera-Client-Address from a caller it does not trust', () => {
  let backend: TestBackend;
  before(async () => {
    backend = await startBackend({ rateLimitPerMinute: 3, rateLimitPerClientPerMinute: 1, trustedProxies: '10.0.0.0/8' });
  });
  after(() => backend?.close());

  it('ignores the header: no per-client budget for the addresses it names', async () => {
    const { apiKey } = await seedConference(backend.store);
    const statuses: number[] = [];
    for (const n of [1, 2]) {
      statuses.push((await postRegistration(backend, apiKey, person(`untrusted-${n}`), { 'confera-client-address': '192.0.2.1' })).status);
    }
    // Honoured, the second would be over the client's budget of 1; ignored, both are within the key's 3.
    assert.deepEqual(statuses, [201, 201]);
  });
});
