import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { build, type Rolldown } from 'vite';
import { browserGuard } from '../../scripts/browser-guard.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Bundles `entry` as the widget build does (ES module, minified, the guard on); returns the code. */
async function bundle(entry: string): Promise<string> {
  const output = (await build({
    root: ROOT,
    configFile: false,
    logLevel: 'silent',
    plugins: [browserGuard()],
    build: {
      write: false,
      target: 'es2022',
      minify: true,
      lib: { entry, formats: ['es'], fileName: () => 'trial.js' },
      rolldownOptions: { output: { minify: true } },
    },
  })) as Rolldown.RolldownOutput | Rolldown.RolldownOutput[];
  const chunks = (Array.isArray(output) ? output : [output]).flatMap((o) => o.output);
  return chunks.map((chunk) => (chunk.type === 'chunk' ? chunk.code : '')).join('\n');
}

describe('the browser part of the contract', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'confera-browser-guard-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('bundles without zod: the limits, the callback rule, the error tables, the custom-field checks and the name rules', async () => {
    const entry = join(scratch, 'uses-browser-contract.ts');
    writeFileSync(
      entry,
      [
        `import { LIMITS, JSONP_CALLBACK_PATTERN, ERROR_STATUS, PROXY_ERROR_STATUS } from '${ROOT}contract/browser.ts';`,
        `import { checkCustomFields } from '${ROOT}contract/custom-fields.ts';`,
        `import { hasBidiControl, normaliseName, stripIgnorable } from '${ROOT}contract/names.ts';`,
        `import type { Config } from '${ROOT}contract/index.ts';`,
        'export const used = [LIMITS, JSONP_CALLBACK_PATTERN, ERROR_STATUS, PROXY_ERROR_STATUS, checkCustomFields, hasBidiControl, normaliseName, stripIgnorable];',
        'export type Used = Config;',
      ].join('\n'),
    );
    const code = await bundle(entry);
    assert.ok(code.includes('duplicate_registration'), 'the error table is in the bundle');
    assert.ok(!/zod|ZodError|\$ZodType/.test(code), 'no zod in the bundle');
    const gzip = gzipSync(code).length;
    assert.ok(gzip < 2_000, `the browser contract is ${gzip} B gzip`);
  });

  it('fails the build when zod would reach a browser bundle', async () => {
    const entry = join(scratch, 'uses-zod-schemas.ts');
    writeFileSync(entry, `import { Config } from '${ROOT}contract/index.ts';\nexport const schema = Config;\n`);
    await assert.rejects(bundle(entry), /must not reach the browser bundle \(zod belongs to the servers/);
  });

  it('fails the build when server code would reach a browser bundle', async () => {
    const entry = join(scratch, 'uses-server-code.ts');
    writeFileSync(entry, `import { pascalCase } from '${ROOT}proxy-server/errors.ts';\nexport const f = pascalCase;\n`);
    await assert.rejects(bundle(entry), /must not reach the browser bundle/);
  });
});
