import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { seedConference, startBackend, type TestBackend } from '../helpers/backend.js';
import { call, scanEachTestForLeaks, startProxy, watchLogs } from './support.js';

/** A raw GET (fetch would decompress): status, headers and the bytes as sent. */
function request(url: string, options: { headers: Record<string, string> }) {
  return new Promise<{ status: number; headers: import('node:http').IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    httpGet(url, { headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

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

  describe('the language modules the bundle imports beside itself', () => {
    it('serves them by their hashed names, cached for good, and nothing else from the folder', async () => {
      const folder = join(dir, 'chunks');
      mkdirSync(folder);
      writeFileSync(join(folder, 'confera-registration.js'), 'import("./de-CB5O1gZW.js");\n');
      writeFileSync(join(folder, 'de-CB5O1gZW.js'), 'export default `Anmelden`;\n');
      writeFileSync(join(folder, 'de-CB5O1gZW.js.map'), '{}');
      writeFileSync(join(folder, 'notes.txt'), 'private');
      const proxy = await startProxy({ backendUrl: backend.url, apiKey, widgetFile: join(folder, 'confera-registration.js') });
      try {
        const chunk = await call(`${proxy.url}/widget/de-CB5O1gZW.js`);
        assert.equal(chunk.status, 200);
        assert.equal(chunk.text, 'export default `Anmelden`;\n');
        assert.equal(chunk.headers.get('cache-control'), 'public, max-age=31536000, immutable');
        assert.equal(chunk.headers.get('access-control-allow-origin'), '*');
        assert.equal(chunk.headers.get('content-type'), 'application/javascript; charset=utf-8');
        for (const path of ['de-CB5O1gZW.js.map', 'notes.txt', 'fr-missing1.js', '..%2Fchunks%2Fnotes.txt']) {
          const refused = await call(`${proxy.url}/widget/${path}`);
          assert.equal(refused.status, 404, path);
          assert.ok(!refused.text.includes('private') && !refused.text.includes(dir), path);
        }
      } finally {
        await proxy.close();
      }
    });
  });

  describe('with the precompressed copies the build writes', () => {
    it('serves brotli or gzip as the browser accepts them, each with its own ETag, and the plain file otherwise', async () => {
      const file = join(dir, 'compressed', 'confera-registration.js');
      mkdirSync(join(dir, 'compressed'));
      const code = `export const widget = "${'x'.repeat(2000)}";\n`;
      writeFileSync(file, code);
      writeFileSync(`${file}.br`, brotliCompressSync(code));
      writeFileSync(`${file}.gz`, gzipSync(code));
      const proxy = await startProxy({ backendUrl: backend.url, apiKey, widgetFile: file });
      try {
        const get = (encoding: string) =>
          request(`${proxy.url}/widget/confera-registration.js`, { headers: { 'accept-encoding': encoding } });
        const br = await get('gzip, deflate, br');
        assert.equal(br.headers['content-encoding'], 'br');
        assert.equal(brotliDecompressSync(br.body).toString(), code);
        const gz = await get('gzip');
        assert.equal(gz.headers['content-encoding'], 'gzip');
        assert.equal(gunzipSync(gz.body).toString(), code);
        const plain = await get('identity');
        assert.equal(plain.headers['content-encoding'], undefined);
        assert.equal(plain.body.toString(), code);
        assert.ok(String(br.headers.vary).includes('Accept-Encoding'));
        assert.equal(new Set([br.headers.etag, gz.headers.etag, plain.headers.etag]).size, 3, 'one ETag per representation');
        assert.equal(br.headers['access-control-allow-origin'], '*');
        const again = await request(`${proxy.url}/widget/confera-registration.js`, {
          headers: { 'accept-encoding': 'br', 'if-none-match': String(br.headers.etag) },
        });
        assert.equal(again.status, 304);
      } finally {
        await proxy.close();
      }
    });

    it('picks up copies written after the bundle (the build compresses last), without a restart', async () => {
      const file = join(dir, 'late', 'confera-registration.js');
      mkdirSync(join(dir, 'late'));
      const code = `export const late = "${'y'.repeat(500)}";\n`;
      writeFileSync(file, code);
      const proxy = await startProxy({ backendUrl: backend.url, apiKey, widgetFile: file });
      try {
        const get = () => request(`${proxy.url}/widget/confera-registration.js`, { headers: { 'accept-encoding': 'br' } });
        assert.equal((await get()).headers['content-encoding'], undefined, 'no copy yet');
        writeFileSync(`${file}.br`, brotliCompressSync(code));
        const later = await get();
        assert.equal(later.headers['content-encoding'], 'br');
        assert.equal(brotliDecompressSync(later.body).toString(), code);
      } finally {
        await proxy.close();
      }
    });

    it('ignores a compressed copy older than the bundle (left from an earlier build)', async () => {
      const file = join(dir, 'stale', 'confera-registration.js');
      mkdirSync(join(dir, 'stale'));
      writeFileSync(`${file}.gz`, gzipSync('export const old = 1;\n'));
      const past = new Date(Date.now() - 60_000);
      utimesSync(`${file}.gz`, past, past);
      writeFileSync(file, 'export const fresh = 1;\n');
      const proxy = await startProxy({ backendUrl: backend.url, apiKey, widgetFile: file });
      try {
        const answer = await request(`${proxy.url}/widget/confera-registration.js`, { headers: { 'accept-encoding': 'gzip' } });
        assert.equal(answer.headers['content-encoding'], undefined);
        assert.equal(answer.body.toString(), 'export const fresh = 1;\n');
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
