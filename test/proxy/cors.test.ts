import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { person, seedConference, startBackend, type TestBackend } from '../helpers/backend.js';
import { call, scanEachTestForLeaks, postJson, startProxy, watchLogs, type TestProxy } from './support.js';

const ALLOWED = 'https://www.example.org';

describe('CORS', () => {
  scanEachTestForLeaks();
  let backend: TestBackend;
  let proxy: TestProxy;
  let endpoint: string;

  before(async () => {
    backend = await startBackend();
    watchLogs(backend.logs);
    const seeded = await seedConference(backend.store);
    proxy = await startProxy({
      backendUrl: backend.url,
      apiKey: seeded.apiKey,
      config: { allowedOrigins: [ALLOWED, 'http://localhost:8080'] },
    });
    endpoint = `${proxy.url}/api/registration`;
  });
  after(async () => {
    await proxy.close();
    await backend.close();
  });

  function assertVaryOrigin(headers: Headers) {
    assert.ok((headers.get('vary') ?? '').split(/,\s*/).includes('Origin'), `Vary: ${headers.get('vary')}`);
  }

  describe('from an allowed origin', () => {
    it('gives the config with Access-Control-Allow-Origin set to that origin and Vary: Origin', async () => {
      const answer = await call(endpoint, { headers: { origin: ALLOWED } });
      assert.equal(answer.status, 200);
      assert.equal(answer.headers.get('access-control-allow-origin'), ALLOWED);
      assert.equal(answer.headers.get('access-control-allow-credentials'), null);
      assertVaryOrigin(answer.headers);
      assert.ok(answer.json.data.conference);
    });

    it('lets the page read the submit answer and the retry headers', async () => {
      const answer = await postJson(endpoint, person(1), { origin: 'http://localhost:8080' });
      assert.equal(answer.status, 201);
      assert.equal(answer.headers.get('access-control-allow-origin'), 'http://localhost:8080');
      assert.match(answer.headers.get('access-control-expose-headers') ?? '', /Retry-After/);
      assertVaryOrigin(answer.headers);
    });

    it('gives CORS headers on errors too, so the page can read them', async () => {
      const answer = await postJson(endpoint, { nope: true }, { origin: ALLOWED });
      assert.equal(answer.status, 400);
      assert.equal(answer.headers.get('access-control-allow-origin'), ALLOWED);
      assertVaryOrigin(answer.headers);
    });
  });

  describe('from any other origin', () => {
    const refused = [
      ['null', 'null'],
      ['another site', 'https://evil.example'],
      ['a host with the allowed one as prefix', 'https://www.example.org.evil.io'],
      ['a host with the allowed one as suffix', 'https://evilwww.example.org'],
      ['a subdomain of the allowed host', 'https://sub.www.example.org'],
      ['another scheme', 'http://www.example.org'],
      ['another port', 'https://www.example.org:8443'],
      ['a trailing slash', 'https://www.example.org/'],
      ['other letter case', 'https://WWW.example.org'],
      ['the allowed port on another host', 'http://localhost:8081'],
    ];
    for (const [name, origin] of refused) {
      it(`refuses ${name} (${origin}): no CORS headers, Vary: Origin`, async () => {
        const answer = await call(endpoint, { headers: { origin: origin! } });
        assert.equal(answer.headers.get('access-control-allow-origin'), null);
        assert.equal(answer.headers.get('access-control-expose-headers'), null);
        assertVaryOrigin(answer.headers);
        const preflight = await call(endpoint, {
          method: 'OPTIONS',
          headers: { origin: origin!, 'access-control-request-method': 'POST' },
        });
        assert.equal(preflight.status, 204);
        assert.equal(preflight.headers.get('access-control-allow-origin'), null);
        assert.equal(preflight.headers.get('access-control-allow-methods'), null);
        assertVaryOrigin(preflight.headers);
      });
    }

    it('still applies every rule: CORS is not access control', async () => {
      const answer = await postJson(endpoint, person(2), { origin: 'https://evil.example' });
      assert.equal(answer.status, 201, 'a non-browser caller is not stopped by CORS; the backend rules hold for it');
      const duplicate = await postJson(endpoint, person(2), { origin: 'https://evil.example' });
      assert.equal(duplicate.status, 409);
    });
  });

  it('answers a request without Origin with Vary: Origin', async () => {
    const answer = await call(endpoint);
    assert.equal(answer.headers.get('access-control-allow-origin'), null);
    assertVaryOrigin(answer.headers);
  });

  it('puts Vary: Origin on 404s and health answers too', async () => {
    for (const path of ['/nope', '/healthz', '/widget/confera-registration.js']) {
      assertVaryOrigin((await call(`${proxy.url}${path}`, { headers: { origin: ALLOWED } })).headers);
    }
  });

  describe('the preflight', () => {
    it('is answered by the proxy: 204, GET and POST, Content-Type and Idempotency-Key, max-age 7200', async () => {
      const before = proxy.upstreamCalls();
      const answer = await call(endpoint, {
        method: 'OPTIONS',
        headers: {
          origin: ALLOWED,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type, idempotency-key',
        },
      });
      assert.equal(answer.status, 204);
      assert.equal(answer.text, '');
      assert.equal(answer.headers.get('access-control-allow-origin'), ALLOWED);
      assert.equal(answer.headers.get('access-control-allow-methods'), 'GET, POST');
      assert.equal(answer.headers.get('access-control-allow-headers'), 'Content-Type, Idempotency-Key');
      assert.equal(answer.headers.get('access-control-max-age'), '7200');
      assert.equal(answer.headers.get('access-control-allow-credentials'), null);
      assertVaryOrigin(answer.headers);
      assert.equal(proxy.upstreamCalls(), before);
    });
  });

  describe('with ALLOWED_ORIGINS=*', () => {
    it('allows every origin with *, and still says Vary: Origin', async () => {
      const seeded = await seedConference(backend.store);
      const open = await startProxy({ backendUrl: backend.url, apiKey: seeded.apiKey, config: { allowedOrigins: '*' } });
      try {
        const answer = await call(`${open.url}/api/registration`, { headers: { origin: 'https://anyone.example' } });
        assert.equal(answer.headers.get('access-control-allow-origin'), '*');
        assertVaryOrigin(answer.headers);
      } finally {
        await open.close();
      }
    });
  });

  describe('security headers', () => {
    it('come on every answer', async () => {
      for (const answer of [await call(endpoint), await call(`${proxy.url}/nope`), await postJson(endpoint, {})]) {
        assert.equal(answer.headers.get('x-content-type-options'), 'nosniff');
        assert.equal(answer.headers.get('referrer-policy'), 'no-referrer');
        assert.equal(answer.headers.get('cross-origin-resource-policy'), 'cross-origin');
        assert.match(answer.headers.get('content-security-policy') ?? '', /default-src 'none'/);
        assert.ok(answer.headers.get('strict-transport-security'));
        assert.equal(answer.headers.get('x-powered-by'), null);
      }
    });
  });
});
