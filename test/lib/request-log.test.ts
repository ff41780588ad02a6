import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import { createHttpServer } from '../../lib/http-server.js';
import { createLogger } from '../../lib/logger.js';
import { requestLog } from '../../lib/request-log.js';
import { eventually } from '../helpers/eventually.js';

/**
 * lib/request-log.ts: one line per request, of a fixed shape, written without the logger's
 * redaction (it holds nothing that redaction looks for), while every other line keeps it.
 */
describe('the request log (lib/request-log.ts)', () => {
  const written: Record<string, unknown>[] = [];
  const logger = createLogger({ name: 'test', destination: { write: (line: string) => void written.push(JSON.parse(line)) } });
  const app = express()
    .use(requestLog(logger, { redactPath: (path) => path.replace(/(\/receipts\/).+/, '$1:name') }))
    .get('/receipts/:name', (_req, res) => void res.send('ok'))
    .get('/fails', (_req, res) => void res.status(503).send('down'));
  const server = createHttpServer(app);
  let base = '';
  before(async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  const lineFor = async (path: string) => {
    written.length = 0;
    await (await fetch(`${base}${path}`, { headers: { 'x-api-key': 'secret-key' } })).text();
    await eventually(() => written.length > 0, { what: 'the request line' });
    return written[0]!;
  };

  it('writes method, path without its query, status and ms, and nothing else of the request', async () => {
    const line = await lineFor('/receipts/Abc123.png?jsonData=%7B%22email%22%3A%22a%40b.c%22%7D');
    assert.deepEqual(Object.keys(line).sort(), ['level', 'ms', 'msg', 'name', 'req', 'res', 'time']);
    assert.equal(line.msg, 'request');
    assert.equal(line.level, 30);
    assert.deepEqual(line.req, { method: 'GET', path: '/receipts/:name' });
    assert.deepEqual(line.res, { status: 200 });
    assert.equal(typeof line.ms, 'number');
  });

  it('writes a 5xx answer as a warning', async () => {
    const line = await lineFor('/fails');
    assert.equal(line.msg, 'request failed');
    assert.equal(line.level, 40);
    assert.deepEqual(line.res, { status: 503 });
  });

  it('leaves the redaction of every other line as it was', async () => {
    written.length = 0;
    logger.info({ apiKey: 'k1', headers: { 'x-api-key': 'k2' }, upstream: { authorization: 'k3', 'x-api-key': 'k4' } }, 'other');
    await eventually(() => written.length > 0, { what: 'the other line' });
    assert.deepEqual(
      { apiKey: written[0]!.apiKey, headers: written[0]!.headers, upstream: written[0]!.upstream },
      { apiKey: '[redacted]', headers: '[redacted]', upstream: { authorization: '[redacted]', 'x-api-key': '[redacted]' } },
    );
  });
});
