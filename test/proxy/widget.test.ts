import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { seedConference, startBackend, type TestBackend } from '../helpers/backend.js';
import { call, scanEachTestForLeaks, startProxy, watchLogs } from './support.js';

describe('GET /widget/confera-registration.js', () => {
  scanEachTestForLeaks();
  let backend: TestBackend;
  let apiKey: string;
  let dir: string;

  before(async () => {
    backend = await startBackend();
    watchLogs(backend.logs);
    apiKey = (await seedConference(backend.store)).apiKey;
    dir = mkdtempSync(join(tmpdir(), 'confera-widget-'));
  });
  after(async () => {
    await backend.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('when the bundle is built', () => {
    it('serves it as JavaScript, cacheable, with an ETag, loadable from any page as a module', async () => {
      const file = join(dir, 'confera-registration.js');
      writeFileSync(file, 'export const built = true;\n');
      const proxy = await startProxy({ backendUrl: backend.url, apiKey, widgetFile: file });
      try {
        const answer = await call(`${proxy.url}/widget/confera-registration.js`, { headers: { origin: 'https://customer.example' } });
        assert.equal(answer.status, 200);
        assert.equal(answer.text, 'export const built = true;\n');
        assert.equal(answer.headers.get('content-type'), 'application/javascript; charset=utf-8');
        assert.equal(answer.headers.get('cache-control'), 'public, max-age=300');
        assert.equal(answer.headers.get('access-control-allow-origin'), '*');
        assert.equal(answer.headers.get('cross-origin-resource-policy'), 'cross-origin');
        const etag = answer.headers.get('etag');
        assert.ok(etag);

        const again = await call(`${proxy.url}/widget/confera-registration.js`, { headers: { 'if-none-match': etag } });
        assert.equal(again.status, 304);
        assert.equal(again.text, '');

        writeFileSync(file, 'export const built = "again, and longer";\n');
        const rebuilt = await call(`${proxy.url}/widget/confera-registration.js`, { headers: { 'if-none-match': etag } });
        assert.equal(rebuilt.status, 200, 'a rebuilt bundle gets a new ETag');
        assert.notEqual(rebuilt.headers.get('etag'), etag);
      } finally {
        await proxy.close();
      }
    });
  });

  describe('before the widget is built', () => {
    it('answers a JSON 404 that says so', async () => {
      const proxy = await startProxy({ backendUrl: backend.url, apiKey, widgetFile: join(dir, 'missing', 'confera-registration.js') });
      try {
        const answer = await call(`${proxy.url}/widget/confera-registration.js`);
        assert.equal(answer.status, 404);
        assert.equal(answer.json.code, 'widget_not_built');
        assert.ok(!answer.text.includes(dir), 'no server path in the answer');
      } finally {
        await proxy.close();
      }
    });
  });
});
