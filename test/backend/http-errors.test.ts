import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { describe, it } from 'node:test';
import { ConfigResponse } from '../../contract/index.js';
import { createApiKey, generateApiKey, revokeApiKey } from '../../backend/services/api-keys.js';
import { DIALECTS } from '../helpers/database.js';
import { person, postRegistration, seedConference, type TestBackend } from '../helpers/backend.js';
import { assertError, backendFor, fakeClock, getWithKey, request, type ApiResponse } from './support.js';
import { strict } from '../helpers/strict-contract.js';

/** POSTs a body as `chunkCount` chunks with Transfer-Encoding: chunked, no Content-Length. */
function postChunked(backend: TestBackend, apiKey: string, chunk: string, chunkCount: number): Promise<ApiResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${backend.api}/registrations/registrations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey, 'transfer-encoding': 'chunked' },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (part: string) => (text += part));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: new Headers(res.headers as Record<string, string>), body: JSON.parse(text) }),
      );
    });
    for (let i = 0; i < chunkCount; i++) req.write(chunk);
    req.end();
  });
}

const REGISTRATIONS = '/registrations/registrations';

for (const { dialect, skip } of DIALECTS) {
  describe(`HTTP errors on ${dialect}`, { skip }, () => {
    describe('authentication', () => {
      it('answers 401 missing_api_key without a key', async (t) => {
        const backend = await backendFor(t, { dialect });
        await seedConference(backend.store);
        assertError(await request(backend, '/registrations/config'), 'missing_api_key');
        assertError(
          await request(backend, REGISTRATIONS, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
          'missing_api_key',
        );
      });

      for (const [what, key] of [
        ['an unknown', generateApiKey()],
        ['a malformed', 'cat_not-a-real-key'],
        ['a non-Confera', 'sk_live_1234567890abcdef'],
      ] as const) {
        it(`answers 401 invalid_api_key for ${what} key, without echoing it`, async (t) => {
          const backend = await backendFor(t, { dialect });
          await seedConference(backend.store);
          const response = await getWithKey(backend, key, '/registrations/config');
          assertError(response, 'invalid_api_key');
          assert.equal(JSON.stringify(response.body).includes(key), false);
        });
      }

      it('answers 401 invalid_api_key for a revoked key, while other keys of the conference still work', async (t) => {
        const backend = await backendFor(t, { dialect });
        const seeded = await seedConference(backend.store);
        const other = await createApiKey(
          backend.store.db,
          { conferenceId: seeded.conferenceId, scopes: ['registrations:read'] },
          new Date(),
        );
        await revokeApiKey(backend.store.db, seeded.keyId, new Date());
        assertError(await getWithKey(backend, seeded.apiKey, '/registrations/config'), 'invalid_api_key');
        assert.equal((await getWithKey(backend, other.key, '/registrations/config')).status, 200);
      });

      it('answers 401 invalid_api_key once the key has expired', async (t) => {
        const clock = fakeClock('2027-06-30T23:59:59Z');
        const backend = await backendFor(t, { dialect, clock: clock.now });
        const seeded = await seedConference(backend.store, {}, { now: clock.now(), expiresAt: '2027-07-01T00:00:00Z' });
        assert.equal((await getWithKey(backend, seeded.apiKey, '/registrations/config')).status, 200);
        clock.set('2027-07-01T00:00:00Z');
        assertError(await getWithKey(backend, seeded.apiKey, '/registrations/config'), 'invalid_api_key');
      });

      it('accepts the key as Authorization: Bearer', async (t) => {
        const backend = await backendFor(t, { dialect });
        const seeded = await seedConference(backend.store);
        const response = await request(backend, '/registrations/config', { headers: { authorization: `Bearer ${seeded.apiKey}` } });
        assert.equal(response.status, 200);
        assert.ok(strict(ConfigResponse).safeParse(response.body).success);
        const created = await request(backend, REGISTRATIONS, {
          method: 'POST',
          headers: { authorization: `Bearer ${seeded.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify(person(1)),
        });
        assert.equal(created.status, 201);
      });

      it('answers 401 invalid_api_key for a wrong Bearer key', async (t) => {
        const backend = await backendFor(t, { dialect });
        await seedConference(backend.store);
        assertError(
          await request(backend, '/registrations/config', { headers: { authorization: `Bearer ${generateApiKey()}` } }),
          'invalid_api_key',
        );
      });
    });

    describe('scopes', () => {
      it('answers 403 insufficient_scope to a read-only key that creates', async (t) => {
        const backend = await backendFor(t, { dialect });
        const seeded = await seedConference(backend.store, {}, { scopes: ['registrations:read'] });
        const error = assertError(await postRegistration(backend, seeded.apiKey, person(1)), 'insufficient_scope');
        assert.deepEqual(error.details, { required: 'registrations:write' });
        assert.equal((await getWithKey(backend, seeded.apiKey, '/registrations/config')).status, 200);
      });

      it('answers 403 insufficient_scope to a write-only key that reads', async (t) => {
        const backend = await backendFor(t, { dialect });
        const seeded = await seedConference(backend.store, {}, { scopes: ['registrations:write'] });
        const created = await postRegistration(backend, seeded.apiKey, person(1));
        assert.equal(created.status, 201);
        for (const path of ['/registrations/config', REGISTRATIONS, `${REGISTRATIONS}/${created.body.data.id}`]) {
          const error = assertError(await getWithKey(backend, seeded.apiKey, path), 'insufficient_scope');
          assert.deepEqual(error.details, { required: 'registrations:read' });
        }
      });
    });

    describe('paths, methods and media types', () => {
      it('answers 404 not_found as JSON for an unknown path', async (t) => {
        const backend = await backendFor(t, { dialect });
        const seeded = await seedConference(backend.store);
        assertError(await request(backend, `${backend.url}/nope`), 'not_found');
        assertError(await request(backend, '/nope'), 'not_found');
        assertError(await getWithKey(backend, seeded.apiKey, '/registrations/nope'), 'not_found');
      });

      it('answers an unknown path 404 and a wrong method 405 without asking for a key', async (t) => {
        const backend = await backendFor(t, { dialect });
        assertError(await request(backend, '/registrations/nope'), 'not_found');
        assertError(await request(backend, `${REGISTRATIONS}/r_any/more`), 'not_found');
        assertError(await request(backend, REGISTRATIONS, { method: 'DELETE' }), 'method_not_allowed');
        assertError(await request(backend, '/registrations/config'), 'missing_api_key');
      });

      const allowed: [string, string][] = [
        ['/registrations/config', 'GET'],
        [REGISTRATIONS, 'GET, POST'],
        [`${REGISTRATIONS}/r_any`, 'GET'],
      ];
      for (const [path, allow] of allowed) {
        for (const method of ['PUT', 'DELETE', 'PATCH']) {
          it(`answers 405 method_not_allowed with Allow: ${allow} to ${method} ${path}`, async (t) => {
            const backend = await backendFor(t, { dialect });
            const seeded = await seedConference(backend.store);
            const response = await request(backend, path, {
              method,
              headers: { 'x-api-key': seeded.apiKey, 'content-type': 'application/json' },
              body: '{}',
            });
            assertError(response, 'method_not_allowed');
            assert.equal(response.headers.get('allow'), allow);
          });
        }
      }

      it('answers 406 not_acceptable to Accept: text/html, and JSON to */* or no Accept', async (t) => {
        const backend = await backendFor(t, { dialect });
        const seeded = await seedConference(backend.store);
        assertError(await getWithKey(backend, seeded.apiKey, '/registrations/config', { accept: 'text/html' }), 'not_acceptable');
        assertError(await postRegistration(backend, seeded.apiKey, person(1), { accept: 'text/html' }), 'not_acceptable');
        assert.equal((await getWithKey(backend, seeded.apiKey, '/registrations/config', { accept: 'text/html, */*;q=0.1' })).status, 200);
        assert.equal((await getWithKey(backend, seeded.apiKey, '/registrations/config', { accept: 'application/json' })).status, 200);
      });

      it('answers 415 unsupported_media_type to a POST without a Content-Type', async (t) => {
        const backend = await backendFor(t, { dialect });
        const seeded = await seedConference(backend.store);
        // A byte body: fetch sends it without a Content-Type.
        const response = await request(backend, REGISTRATIONS, {
          method: 'POST',
          headers: { 'x-api-key': seeded.apiKey },
          body: new TextEncoder().encode(JSON.stringify(person(1))) as unknown as string,
        });
        assertError(response, 'unsupported_media_type');
      });

      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
        it(`answers 415 unsupported_media_type to a POST of ${type}`, async (t) => {
          const backend = await backendFor(t, { dialect });
          const seeded = await seedConference(backend.store);
          assertError(await postRegistration(backend, seeded.apiKey, person(1), { 'content-type': type }), 'unsupported_media_type');
        });
      }

      it('accepts application/json with a charset', async (t) => {
        const backend = await backendFor(t, { dialect });
        const seeded = await seedConference(backend.store);
        assert.equal(
          (await postRegistration(backend, seeded.apiKey, person(1), { 'content-type': 'application/json; charset=utf-8' })).status,
          201,
        );
      });

      it('answers 400 invalid_json to a body that does not parse', async (t) => {
        const backend = await backendFor(t, { dialect });
        const seeded = await seedConference(backend.store);
        for (const body of ['{"firstName":', 'not json', "{'a':1}", '{"a":1}}']) {
          assertError(await postRegistration(backend, seeded.apiKey, body), 'invalid_json');
        }
      });
    });

    describe('body size', () => {
      const oversized = () => JSON.stringify(person(1, { customFields: { dietary: 'x'.repeat(33 * 1024) } }));

      it('answers 413 payload_too_large to a 33 KiB body', async (t) => {
        const backend = await backendFor(t, { dialect });
        const seeded = await seedConference(backend.store);
        assertError(await postRegistration(backend, seeded.apiKey, oversized()), 'payload_too_large');
      });

      it('answers 413 payload_too_large to a 33 KiB body sent chunked, without Content-Length', async (t) => {
        const backend = await backendFor(t, { dialect });
        const seeded = await seedConference(backend.store);
        const response = await postChunked(backend, seeded.apiKey, ' '.repeat(1024), 33);
        assertError(response, 'payload_too_large');
      });

      it('accepts a chunked body under the limit', async (t) => {
        const backend = await backendFor(t, { dialect });
        const seeded = await seedConference(backend.store);
        const response = await postChunked(backend, seeded.apiKey, JSON.stringify(person(1)), 1);
        assert.equal(response.status, 201);
      });
    });

    it('answers 429 rate_limited with Retry-After past the per-key limit, for that key only', async (t) => {
      const backend = await backendFor(t, { dialect, rateLimitPerMinute: 3 });
      const seeded = await seedConference(backend.store);
      const other = await createApiKey(backend.store.db, { conferenceId: seeded.conferenceId, scopes: ['registrations:read'] }, new Date());
      for (let i = 0; i < 3; i++) assert.equal((await getWithKey(backend, seeded.apiKey, '/registrations/config')).status, 200);
      const limited = await getWithKey(backend, seeded.apiKey, '/registrations/config');
      assertError(limited, 'rate_limited');
      const retryAfter = Number(limited.headers.get('retry-after'));
      assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After: ${retryAfter}`);
      assertError(await postRegistration(backend, seeded.apiKey, person(1)), 'rate_limited');
      assert.equal((await getWithKey(backend, other.key, '/registrations/config')).status, 200);
    });

    describe('health checks', () => {
      for (const base of ['', '/api/public/v1']) {
        for (const check of ['healthz', 'readyz']) {
          it(`answers 200 to GET ${base}/${check} without a key`, async (t) => {
            const backend = await backendFor(t, { dialect });
            const response = await request(backend, `${backend.url}${base}/${check}`);
            assert.equal(response.status, 200);
            assert.deepEqual(response.body, check === 'readyz' ? { status: 'ok', counters: 'memory' } : { status: 'ok' });
          });
        }
      }
    });

    describe('failures on our side', () => {
      it('answers 500 internal_error with an error id only: no SQL, no stack', async (t) => {
        const backend = await backendFor(t, { dialect });
        const seeded = await seedConference(backend.store);
        await backend.store.db.schema.dropTable('registrations').execute();
        for (const response of [
          await postRegistration(backend, seeded.apiKey, person(1)),
          await getWithKey(backend, seeded.apiKey, REGISTRATIONS),
        ]) {
          const error = assertError(response, 'internal_error');
          assert.deepEqual(Object.keys(error.details), ['error_id']);
          assert.doesNotMatch(JSON.stringify(response.body), /registrations|select|insert|table|\.ts:|at /i);
        }
        const logged = backend.logs.filter((line) => line.includes('unexpected error'));
        assert.equal(logged.length, 2);
        assert.doesNotMatch(logged.join('\n'), /select|insert|no such table|does not exist|julie/i);
      });

      it('answers 503 to /readyz, and still 200 to /healthz, when the database does not answer', async (t) => {
        const backend = await backendFor(t, { dialect });
        await backend.store.db.destroy();
        assertError(await request(backend, `${backend.url}/readyz`), 'not_ready');
        assert.equal((await request(backend, `${backend.url}/healthz`)).status, 200);
      });
    });

    it('never writes the API key to the log', async (t) => {
      const backend = await backendFor(t, { dialect });
      const seeded = await seedConference(backend.store);
      await postRegistration(backend, seeded.apiKey, person(1));
      await getWithKey(backend, seeded.apiKey, '/registrations/config?x=1');
      await request(backend, '/registrations/config', { headers: { authorization: `Bearer ${seeded.apiKey}` } });
      assert.ok(backend.logs.length >= 3);
      assert.equal(backend.logs.join('\n').includes(seeded.apiKey), false);
    });
  });
}
