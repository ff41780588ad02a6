import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { API_BASE } from '../../backend/app.js';
import { LIMITS } from '../../contract/index.js';
import { DIALECTS } from '../helpers/database.js';
import { person, seedConference, startBackend, type Seeded, type TestBackend } from '../helpers/backend.js';
import { assertErrorResponse, rawRequest, socketRequest, splitResponses, type RawResponse } from './fuzz-support.js';

/** Oversized bodies get 413 `payload_too_large` (SPEC §2: whole body ≤ 32 KiB), however they are framed. */

const CREATE = `${API_BASE}/registrations/registrations`;

/** A JSON create body of exactly `bytes` bytes (padding in a custom field the server never reaches). */
function bodyOfSize(bytes: number, n: number | string): Buffer {
  const base = JSON.stringify({ ...person(n), customFields: { notes: '' } });
  const body = Buffer.from(base.replace('"notes":""', `"notes":"${'x'.repeat(bytes - Buffer.byteLength(base))}"`));
  assert.equal(body.length, bytes);
  return body;
}

function assert413(response: RawResponse) {
  assert.equal(response.status, 413, response.text);
  assert.equal(assertErrorResponse(response.status, response.headers['content-type'], response.text), 'payload_too_large');
}

for (const { dialect, skip } of DIALECTS) {
  describe(`body size limits on ${dialect}`, { skip }, () => {
    let backend: TestBackend;
    let seeded: Seeded;
    const headers = (): [string, string][] => [
      ['Content-Type', 'application/json'],
      ['X-API-Key', seeded.apiKey],
    ];

    before(async () => {
      backend = await startBackend({ dialect });
      seeded = await seedConference(backend.store);
    });
    after(async () => backend?.close());

    async function rows(): Promise<number> {
      const row = await backend.store.db
        .selectFrom('registrations')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    }

    let healthChecks = 0;
    async function assertHealthy() {
      const health = await fetch(`${backend.url}/healthz`);
      assert.equal(health.status, 200);
      const ready = await fetch(`${backend.url}/readyz`);
      assert.equal(ready.status, 200);
      // And it still takes registrations.
      const response = await rawRequest(backend.url, {
        path: CREATE,
        headers: headers(),
        body: JSON.stringify(person(`healthy${++healthChecks}`)),
      });
      assert.equal(response.status, 201, response.text);
    }

    it('a body of exactly 32 KiB is read (and refused only for its content)', async () => {
      const response = await rawRequest(backend.url, { path: CREATE, headers: headers(), body: bodyOfSize(LIMITS.bodyBytes, 'exact') });
      // notes is not a field of this conference: the body was parsed and judged.
      assert.equal(response.status, 400, response.text);
      assert.equal(assertErrorResponse(response.status, response.headers['content-type'], response.text), 'validation_failed');
    });

    it('one byte over 32 KiB with Content-Length: 413', async () => {
      const before = await rows();
      assert413(await rawRequest(backend.url, { path: CREATE, headers: headers(), body: bodyOfSize(LIMITS.bodyBytes + 1, 'over') }));
      assert.equal(await rows(), before);
      await assertHealthy();
    });

    it('a body far over the limit with Content-Length: 413', async () => {
      assert413(await rawRequest(backend.url, { path: CREATE, headers: headers(), body: bodyOfSize(1024 * 1024, 'huge') }));
      await assertHealthy();
    });

    it('one byte over 32 KiB, chunked with no Content-Length: 413', async () => {
      const before = await rows();
      assert413(
        await rawRequest(backend.url, {
          path: CREATE,
          headers: headers(),
          body: bodyOfSize(LIMITS.bodyBytes + 1, 'chunked'),
          chunked: true,
        }),
      );
      assert.equal(await rows(), before);
      await assertHealthy();
    });

    it('a chunked body far over the limit: 413', async () => {
      assert413(
        await rawRequest(backend.url, { path: CREATE, headers: headers(), body: bodyOfSize(512 * 1024, 'chunked-huge'), chunked: true }),
      );
      await assertHealthy();
    });

    it('a small gzip body that inflates past 32 KiB: 413 (the limit counts what is parsed)', async () => {
      const bomb = gzipSync(bodyOfSize(1024 * 1024, 'bomb'));
      assert.ok(bomb.length < LIMITS.bodyBytes);
      assert413(await rawRequest(backend.url, { path: CREATE, headers: [...headers(), ['Content-Encoding', 'gzip']], body: bomb }));
      await assertHealthy();
    });

    it('a declared Content-Length over the limit is refused before the body is read', async () => {
      // Only the headers and a few bytes are sent: the 413 must come without the rest.
      const raw = await socketRequest(
        backend.url,
        `POST ${CREATE} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-API-Key: ${seeded.apiKey}\r\nContent-Length: ${10 * 1024 * 1024}\r\n\r\n{"firstName":`,
        500,
      );
      const [response] = splitResponses(raw);
      assert.ok(response, `no answer: ${raw.slice(0, 200)}`);
      assert.equal(response.status, 413, raw.slice(0, 300));
      assert.equal(
        assertErrorResponse(response.status, /content-type: ([^\r\n]+)/i.exec(response.head)?.[1], response.body),
        'payload_too_large',
      );
      await assertHealthy();
    });

    it('a lying small Content-Length is not trusted: only that many bytes are the body, the rest is not a request', async () => {
      const before = await rows();
      const body = bodyOfSize(40 * 1024, 'liar');
      const raw = await socketRequest(
        backend.url,
        Buffer.concat([
          Buffer.from(
            `POST ${CREATE} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-API-Key: ${seeded.apiKey}\r\nContent-Length: 100\r\n\r\n`,
          ),
          body,
        ]),
      );
      const responses = splitResponses(raw);
      assert.ok(responses.length >= 1, `no answer: ${raw.slice(0, 200)}`);
      // The body is the first 100 bytes, not a whole JSON document (400 invalid_json); what
      // follows is garbage as HTTP, which Node's parser refuses with a bare 400 and a closed
      // connection (often before the JSON answer could be sent). Never a 2xx or a 5xx.
      for (const response of responses) {
        assert.equal(response.status, 400, raw.slice(0, 300));
        const contentType = /content-type: ([^\r\n]+)/i.exec(response.head)?.[1];
        if (contentType) assert.equal(assertErrorResponse(400, contentType, response.body), 'invalid_json');
      }
      assert.equal(await rows(), before);
      await assertHealthy();
    });

    it('a Content-Length larger than what is sent, then the client goes away: no row, still healthy', async () => {
      const before = await rows();
      const body = JSON.stringify(person('short'));
      await socketRequest(
        backend.url,
        `POST ${CREATE} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-API-Key: ${seeded.apiKey}\r\nContent-Length: ${body.length + 50}\r\n\r\n${body}`,
        10_000,
        { leave: true },
      );
      assert.equal(await rows(), before);
      await assertHealthy();
    });

    it('many oversized bodies in parallel leave the backend healthy', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          rawRequest(backend.url, { path: CREATE, headers: headers(), body: bodyOfSize(64 * 1024, `par${i}`), chunked: i % 2 === 0 }),
        ),
      );
      for (const response of results) assert413(response);
      await assertHealthy();
    });
  });
}
