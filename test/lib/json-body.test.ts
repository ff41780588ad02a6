import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LIMITS } from '../../contract/index.js';
import { bytesReadOnNextConnection, declaredUpload, parseAnswer, forBothBodyTakers, uploadChunked } from '../helpers/uploads.js';

/** lib/json-body.ts as both servers use it: an oversized body is refused early, and never read to its end. */

const MiB = 1024 * 1024;

describe('the JSON body of both servers (lib/json-body.ts)', () => {
  forBothBodyTakers((taker) => {
    it('answers a chunked body that passes 32 KiB with 413 and closes the connection, having read little of it', async () => {
      const serverRead = bytesReadOnNextConnection(taker().server);
      // 32 MiB, more than any socket buffers could hold: before, the server read all of it, then answered.
      const upload = await uploadChunked(taker().url, taker().path, taker().headers, 32 * MiB);
      const answer = parseAnswer(upload.response);
      assert.equal(answer.status, 413, upload.response.slice(0, 300));
      assert.match(answer.head, /^connection: close$/im);
      assert.match(answer.body, /"payload_too_large"/);
      assert.ok(upload.sent < MiB, `the client sent ${upload.sent} bytes before the server closed`);
      const read = await serverRead;
      assert.ok(read < LIMITS.bodyBytes + 256 * 1024, `the server read ${read} bytes`);
    });

    it('answers a declared Content-Length past 32 KiB with 413 at once, without waiting for the body', async () => {
      const answer = await declaredUpload(taker().url, taker().path, taker().headers, 10 * MiB);
      assert.equal(answer.status, 413);
      assert.match(answer.body, /"payload_too_large"/);
      assert.equal(answer.connection, 'close');
    });

    it('answers Expect: 100-continue with a declared 10 MB body with 413, never 100 Continue', async () => {
      const answer = await declaredUpload(taker().url, taker().path, taker().headers, 10 * MiB, { expectContinue: true });
      assert.equal(answer.continued, false);
      assert.equal(answer.status, 413);
      assert.match(answer.body, /"payload_too_large"/);
    });

    it('invites a body within the limit with 100 Continue, then reads it', async () => {
      const answer = await declaredUpload(taker().url, taker().path, taker().headers, 2, { expectContinue: true, body: '{}' });
      assert.equal(answer.continued, true);
      assert.equal(answer.status, 400);
      assert.match(answer.body, /"validation_failed"/);
    });
  });
});
