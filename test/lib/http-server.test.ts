import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { once } from 'node:events';
import { Agent, request, type IncomingMessage } from 'node:http';
import * as uploads from '../helpers/uploads.js';

/** lib/http-server.ts: an answer given before the body was read never invites or drains that body. */

/** A GET through `agent`: its status and its Connection header. */
async function fetchVia(agent: Agent, url: string): Promise<{ status: number; connection: string | undefined }> {
  const req = request(url, { agent });
  req.end();
  const [res] = (await once(req, 'response')) as [IncomingMessage];
  res.resume();
  await once(res, 'end');
  return { status: res.statusCode ?? 0, connection: res.headers.connection };
}

describe('the HTTP server of both servers (lib/http-server.ts)', () => {
  /** A refusal that comes before the body is read: no API key (backend), a wrong Content-Type (proxy). */
  const refused = (taker: uploads.BodyTaker) =>
    taker.name === 'backend'
      ? { headers: { 'content-type': 'application/json' }, status: 401, code: 'missing_api_key' }
      : { headers: { 'content-type': 'text/plain' }, status: 415, code: 'unsupported_media_type' };

  uploads.forBothBodyTakers((taker) => {
    it('closes the connection after a refusal given before the body, instead of reading the rest', async () => {
      const { headers, status, code } = refused(taker());
      const serverRead = uploads.bytesReadOnNextConnection(taker().server);
      const upload = await uploads.uploadChunked(taker().url, taker().path, headers, 32 * 1024 * 1024);
      const answer = uploads.parseAnswer(upload.response);
      assert.equal(answer.status, status, upload.response.slice(0, 300));
      assert.match(answer.body, new RegExp(`"${code}"`));
      assert.match(answer.head, /^connection: close$/im);
      assert.ok(upload.sent < 1024 * 1024, `the client sent ${upload.sent} bytes before the server closed`);
      assert.ok((await serverRead) < 512 * 1024);
    });

    it('does not answer 100 Continue to a request it refuses before the body', async () => {
      const { headers, status } = refused(taker());
      const answer = await uploads.declaredUpload(taker().url, taker().path, headers, 1024, { expectContinue: true });
      assert.equal(answer.continued, false);
      assert.equal(answer.status, status);
    });

    it('keeps the connection open after an answer to a request without a body, even one answered at once', async () => {
      const agent = new Agent({ keepAlive: true });
      try {
        for (const path of ['/healthz', '/no-such-path']) {
          const answer = await fetchVia(agent, `${taker().url}${path}`);
          assert.equal(answer.connection, 'keep-alive', path);
        }
      } finally {
        agent.destroy();
      }
    });

    it('keeps the connection open after an answer to a request that arrived whole', async () => {
      const answer = await uploads.declaredUpload(taker().url, taker().path, taker().headers, 2, { body: '{}' });
      assert.equal(answer.status, 400);
      assert.notEqual(answer.connection, 'close');
    });
  });
});
