import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { person, seedConference } from '../helpers/backend.js';
import { call, jsonpSubmitUrl, scanEachTestForLeaks, postJson, proxySuite, runJsonp, startProxy } from './support.js';

const asScript = { headers: { referer: 'https://www.example.org/form', 'sec-fetch-dest': 'script' } };

describe('the submit rate limit', () => {
  scanEachTestForLeaks();
  const suite = proxySuite();

  async function fixture(limit: number, trustProxy: false | string = false) {
    const { apiKey } = await seedConference(suite.backend.store);
    const proxy = await startProxy({
      backendUrl: suite.backend.url,
      apiKey,
      config: { rateLimit: { limit, windowMs: 60_000 }, trustProxy },
    });
    suite.track(proxy);
    return { proxy, endpoint: `${proxy.url}/api/registration` };
  }

  it('answers the N+1th JSON submit in the window with 429 rate_limited and the standard headers', async () => {
    const { endpoint } = await fixture(3);
    for (let n = 0; n < 3; n++) {
      const answer = await postJson(endpoint, person(n));
      assert.equal(answer.status, 201);
      assert.match(answer.headers.get('ratelimit') ?? '', new RegExp(`limit=3, remaining=${2 - n}, reset=\\d+`));
      assert.equal(answer.headers.get('ratelimit-policy'), '3;w=60');
    }
    const refused = await postJson(endpoint, person(3));
    assert.equal(refused.status, 429);
    assert.equal(refused.json.ok, false);
    assert.equal(refused.json.status, 429);
    assert.equal(refused.json.code, 'rate_limited');
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After: ${retryAfter}`);
    assert.equal(refused.json.details.retry_after_seconds, retryAfter);
    assert.match(refused.headers.get('ratelimit') ?? '', /remaining=0/);
  });

  it('answers the N+1th JSONP submit with a 200 Success: false payload that says when to retry', async () => {
    const { proxy } = await fixture(2);
    for (let n = 10; n < 12; n++) assert.equal(runJsonp((await call(jsonpSubmitUrl(proxy.url, person(n)), asScript)).text).ok, true);
    const refused = await call(jsonpSubmitUrl(proxy.url, person(12)), asScript);
    assert.equal(refused.status, 200);
    assert.equal(refused.headers.get('content-type'), 'application/javascript; charset=utf-8');
    const payload = runJsonp(refused.text);
    assert.equal(payload.Success, false);
    assert.equal(payload.Code, 'RateLimited');
    assert.ok(payload.details.retry_after_seconds >= 1);
    assert.match(payload.Message, new RegExp(`retry in ${payload.details.retry_after_seconds} seconds`));
  });

  it('shares one budget between the JSON and the JSONP submit', async () => {
    const { proxy, endpoint } = await fixture(1);
    assert.equal((await postJson(endpoint, person(20))).status, 201);
    assert.equal(runJsonp((await call(jsonpSubmitUrl(proxy.url, person(21)), asScript)).text).Code, 'RateLimited');
  });

  it('does not limit config reads', async () => {
    const { endpoint } = await fixture(1);
    for (let n = 0; n < 5; n++) assert.equal((await call(endpoint)).status, 200);
  });

  it('counts per client IP from X-Forwarded-For when TRUST_PROXY trusts the hop', async () => {
    const { endpoint } = await fixture(1, 'loopback');
    assert.equal((await postJson(endpoint, person(30), { 'x-forwarded-for': '203.0.113.1' })).status, 201);
    assert.equal((await postJson(endpoint, person(31), { 'x-forwarded-for': '203.0.113.1' })).status, 429);
    assert.equal((await postJson(endpoint, person(32), { 'x-forwarded-for': '203.0.113.2' })).status, 201);
  });

  it('reports X-Forwarded-For without TRUST_PROXY once, in the log, and never on the console', async () => {
    const { proxy, endpoint } = await fixture(5);
    const printed: unknown[] = [];
    const original = { error: console.error, warn: console.warn };
    console.error = (...args: unknown[]) => void printed.push(args);
    console.warn = (...args: unknown[]) => void printed.push(args);
    try {
      for (const n of [40, 41]) {
        assert.equal((await postJson(endpoint, person(n), { 'x-forwarded-for': '203.0.113.9' })).status, 201);
      }
    } finally {
      Object.assign(console, original);
    }
    assert.deepEqual(printed, []);
    const checks = proxy.logs.filter((line) => line.includes('ERR_ERL_UNEXPECTED_X_FORWARDED_FOR'));
    assert.equal(checks.length, 1, 'logged once');
    assert.equal(JSON.parse(checks[0]!).level, 40);
    assert.ok(!checks[0]!.includes('stack') && !checks[0]!.includes('203.0.113.9'));
  });
});
