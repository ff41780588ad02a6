import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { WIDGET_PART_NAME } from '../../proxy-server/routes/widget.js';
import { README, withWidgetApi } from '../../scripts/widget-api-docs.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = `${ROOT}dist/widget/`;
/** Issue 16: at most 16 KB gzip (KiB: 16,384 bytes), Lit included; docs/benchmarks.md has the figures. */
const BUDGET = 16 * 1024;

describe('the built widget bundle', () => {
  let code: string;
  let parts: string[];

  before(() => {
    // The real build, as `npm run build` and `npm start` run it.
    execFileSync(process.execPath, ['--import', 'tsx', `${ROOT}scripts/build-widget.ts`], { cwd: ROOT, stdio: 'pipe' });
    code = readFileSync(`${OUT}confera-registration.js`, 'utf8');
    parts = readdirSync(OUT).filter((name) => WIDGET_PART_NAME.test(name));
  });

  it(`is at most ${BUDGET} bytes gzip, Lit included`, () => {
    const size = gzipSync(code, { level: 9 }).length;
    assert.ok(size <= BUDGET, `${size} B gzip`);
    assert.ok(code.includes('confera-registration') && code.includes('customElements'), 'it is the element');
    assert.equal(readFileSync(`${OUT}confera-registration.js.gz`).length, size, 'the served copy is that build');
  });

  it('is one self-contained module: it imports nothing statically, and only its parts on demand (languages, JSONP, receipts)', () => {
    assert.ok(!/(^|[;}])\s*import\s*[\w{*]/.test(code) && !/\bfrom\s*["'`]/.test(code), 'no static import');
    const dynamic = [...code.matchAll(/import\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]);
    assert.deepEqual(dynamic.sort(), parts.map((name) => `./${name}`).sort());
    assert.deepEqual(parts.map((name) => name.split('-')[0]).sort(), ['de', 'es', 'fr', 'jsonp', 'receipt']);
    for (const name of parts) {
      const part = readFileSync(OUT + name, 'utf8');
      // A part that imported a value from the bundle would load the bundle again by URL.
      assert.ok(!/\bimport\b/.test(part), `${name} imports nothing`);
      assert.ok(gzipSync(part).length < 1500, `${name} is small`);
    }
  });

  it('holds no zod, no server code and no Node built-in (the sources in its map)', () => {
    const map = JSON.parse(readFileSync(`${OUT}confera-registration.js.map`, 'utf8')) as { sources: string[] };
    const sources = map.sources.map((s) => s.replace(/^(\.\.\/)+/, ''));
    assert.ok(sources.some((s) => s.startsWith('widget/')));
    for (const source of sources) {
      assert.ok(/^(widget\/|contract\/(browser|custom-fields)\.ts$|node_modules\/(lit|lit-html|lit-element|@lit)\/)/.test(source), source);
    }
    assert.ok(!/zod|ZodError/.test(code));
  });

  it('is safe under a strict CSP and keeps nothing about the visitor', () => {
    assert.ok(!/\beval\s*\(|new Function\b|\bFunction\s*\(/.test(code), 'no eval or new Function');
    assert.ok(!/localStorage|sessionStorage|document\.cookie|indexedDB/.test(code), 'no storage, no cookie');
    assert.ok(!/sourceMappingURL/.test(code), 'no reference to a source map that is not served');
  });

  it('comes with a custom-elements.json that documents the public API and nothing internal', () => {
    const manifest = JSON.parse(readFileSync(`${OUT}custom-elements.json`, 'utf8')) as {
      modules: {
        declarations?: {
          tagName?: string;
          attributes?: { name: string }[];
          events?: { name: string }[];
          cssParts?: unknown[];
          cssProperties?: unknown[];
          slots?: unknown[];
        }[];
      }[];
    };
    const element = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName === 'confera-registration');
    assert.ok(element);
    assert.deepEqual(element.attributes?.map((a) => a.name).sort(), [
      'endpoint',
      'lang',
      'prefill-email',
      'prefill-first-name',
      'prefill-last-name',
      'theme',
      'ticket-type',
      'timeout',
      'transport',
    ]);
    assert.deepEqual(element.events?.map((e) => e.name).sort(), ['confera-error', 'confera-ready', 'confera-submit', 'confera-success']);
    assert.ok((element.cssParts?.length ?? 0) >= 10 && (element.cssProperties?.length ?? 0) >= 10 && element.slots?.length === 1);
  });

  it('is documented in the README by the section made from its manifest (npm run docs)', () => {
    const readme = readFileSync(README, 'utf8');
    assert.equal(readme, withWidgetApi(readme), "the README's widget API section is stale: run npm run docs");
    assert.ok(readme.includes('`confera-success`') && readme.includes('`--confera-accent`') && readme.includes('`prefill-email`'));
  });
});
