import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigResponse } from '../../contract/index.js';
import { seedConference } from '../helpers/backend.js';
import { call, scanEachTestForLeaks, proxySuite, startProxy } from './support.js';
import { strict } from '../helpers/strict-contract.js';

describe('GET /api/registration', () => {
  scanEachTestForLeaks();
  const suite = proxySuite();

  async function fixture(options: { overrides?: Record<string, unknown>; configCacheMs?: number; clock?: () => Date } = {}) {
    const seeded = await seedConference(suite.backend.store, options.overrides);
    const proxy = await startProxy({
      backendUrl: suite.backend.url,
      apiKey: seeded.apiKey,
      config: { configCacheMs: options.configCacheMs ?? 0 },
      ...(options.clock ? { clock: options.clock } : {}),
    });
    suite.track(proxy);
    return { ...seeded, proxy, endpoint: `${proxy.url}/api/registration` };
  }

  it('answers 200 { data: Config } as the backend gives it', async () => {
    const { endpoint, conferenceId } = await fixture();
    const answer = await call(endpoint);
    assert.equal(answer.status, 200);
    assert.match(answer.headers.get('content-type') ?? '', /^application\/json; charset=utf-8/);
    const config = strict(ConfigResponse).parse(answer.json);
    assert.equal(config.data.conference.id, conferenceId);
    assert.deepEqual(
      config.data.ticket_types.map((t) => t.id),
      ['free', 'standard'],
    );
    assert.equal(config.data.payment_methods[0]?.reference_required, true);
  });

  it('passes a refusal through with its status: 403 conference_not_live for a draft', async () => {
    const { endpoint } = await fixture({ overrides: { status: 'draft' } });
    const answer = await call(endpoint);
    assert.equal(answer.status, 403);
    assert.deepEqual(
      { ok: answer.json.ok, status: answer.json.status, code: answer.json.code },
      { ok: false, status: 403, code: 'conference_not_live' },
    );
  });

  it('answers 503 service_unavailable when the backend refuses the proxy’s unknown key', async () => {
    const proxy = await startProxy({ backendUrl: suite.backend.url, apiKey: `cat_${'B'.repeat(42)}` });
    suite.track(proxy);
    const answer = await call(`${proxy.url}/api/registration`);
    assert.equal(answer.status, 503);
    assert.equal(answer.json.code, 'service_unavailable');
  });

  it('passes 403 insufficient_scope through for a write-only key', async () => {
    const seeded = await seedConference(suite.backend.store, {}, { scopes: ['registrations:write'] });
    const proxy = await startProxy({ backendUrl: suite.backend.url, apiKey: seeded.apiKey });
    suite.track(proxy);
    const answer = await call(`${proxy.url}/api/registration`);
    assert.equal(answer.status, 403);
    assert.equal(answer.json.code, 'insufficient_scope');
  });

  describe('the cache', () => {
    it('serves a rush of page loads with one backend call', async () => {
      const { endpoint, proxy } = await fixture({ configCacheMs: 60_000 });
      const answers = await Promise.all(Array.from({ length: 25 }, () => call(endpoint)));
      assert.ok(answers.every((a) => a.status === 200));
      assert.equal(proxy.upstreamCalls(), 1, 'concurrent misses share one call');
      await call(endpoint);
      assert.equal(proxy.upstreamCalls(), 1);
    });

    it('reads the config again once the cache period has passed', async () => {
      let now = Date.parse('2027-01-01T00:00:00Z');
      const { endpoint, proxy } = await fixture({ configCacheMs: 5_000, clock: () => new Date(now) });
      await call(endpoint);
      now += 4_999;
      await call(endpoint);
      assert.equal(proxy.upstreamCalls(), 1);
      now += 2;
      await call(endpoint);
      assert.equal(proxy.upstreamCalls(), 2);
    });

    it('does not keep a failure: the next page load asks again', async () => {
      const { endpoint, proxy } = await fixture({ overrides: { status: 'draft' }, configCacheMs: 60_000 });
      assert.equal((await call(endpoint)).status, 403);
      assert.equal((await call(endpoint)).status, 403);
      assert.equal(proxy.upstreamCalls(), 2);
    });
  });
});
