import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { revokeApiKey } from '../../backend/services/api-keys.js';
import { person, seedConference } from '../helpers/backend.js';
import { call, jsonpSubmitUrl, postJson, proxySuite, runJsonp, startProxy } from './support.js';

/**
 * A proxy whose own API key the backend refuses (revoked here, as an operator would): the
 * browser cannot fix that and must not learn about the key; the operator must, from the log.
 */
describe('a proxy whose own API key is revoked', () => {
  const suite = proxySuite();

  async function revokedProxy() {
    const seeded = await seedConference(suite.backend.store);
    const proxy = suite.track(await startProxy({ backendUrl: suite.backend.url, apiKey: seeded.apiKey }));
    assert.equal((await call(`${proxy.url}/api/registration`)).status, 200);
    await revokeApiKey(suite.backend.store.db, seeded.keyId, new Date());
    return { proxy, apiKey: seeded.apiKey };
  }

  /** Nothing a browser reads may name the key, its state or the backend's code for it. */
  const MENTIONS_KEY = /api[ _-]?key|invalid_api_key|revoked|cat_/i;

  it('answers the config, the JSON submit and the JSONP submit with a generic 503 service_unavailable', async () => {
    const { proxy } = await revokedProxy();
    const config = await call(`${proxy.url}/api/registration`, { headers: { origin: 'https://www.example.org' } });
    const submit = await postJson(`${proxy.url}/api/registration`, person(1), { origin: 'https://www.example.org' });
    for (const answer of [config, submit]) {
      assert.equal(answer.status, 503);
      assert.deepEqual(Object.keys(answer.json).sort(), ['code', 'message', 'ok', 'status']);
      assert.equal(answer.json.code, 'service_unavailable');
      assert.doesNotMatch(answer.text, MENTIONS_KEY);
    }
    const jsonp = await call(jsonpSubmitUrl(proxy.url, person(2)), { headers: { referer: 'https://www.example.org/page' } });
    assert.equal(jsonp.status, 200);
    const payload = runJsonp(jsonp.text);
    assert.equal(payload.code, 'service_unavailable');
    assert.equal(payload.Code, 'ServiceUnavailable');
    assert.doesNotMatch(jsonp.text, MENTIONS_KEY);
  });

  it('is not ready, without naming the cause on /readyz', async () => {
    const { proxy } = await revokedProxy();
    const ready = await call(`${proxy.url}/readyz`);
    assert.equal(ready.status, 503);
    assert.equal(ready.json.code, 'not_ready');
    assert.doesNotMatch(ready.text, MENTIONS_KEY);
    assert.doesNotMatch(ready.text, /upstream/);
  });

  it('tells the operator the cause in the log, with codes only and never the key', async () => {
    const { proxy, apiKey } = await revokedProxy();
    await postJson(`${proxy.url}/api/registration`, person(3));
    await call(`${proxy.url}/readyz`);
    const refusals = proxy.logs.filter((line) => line.includes('the backend refused the API key'));
    assert.equal(refusals.length, 2, proxy.logs.join(''));
    for (const line of refusals) {
      assert.equal(JSON.parse(line).upstreamCode, 'invalid_api_key');
      assert.equal(JSON.parse(line).upstreamStatus, 401);
    }
    assert.ok(proxy.logs.every((line) => !line.includes(apiKey) && !line.includes('Julie')));
  });

  it('logs a key without the read scope as refused too, while the config passes its 403 through (SPEC §3)', async () => {
    const seeded = await seedConference(suite.backend.store, {}, { scopes: ['registrations:write'] });
    const proxy = suite.track(await startProxy({ backendUrl: suite.backend.url, apiKey: seeded.apiKey }));
    assert.equal((await call(`${proxy.url}/readyz`)).status, 503);
    assert.equal((await call(`${proxy.url}/api/registration`)).json.code, 'insufficient_scope');
    const refusals = proxy.logs.filter((line) => line.includes('the backend refused the API key'));
    assert.deepEqual(
      refusals.map((line) => JSON.parse(line).upstreamCode),
      ['insufficient_scope', 'insufficient_scope'],
    );
  });
});
