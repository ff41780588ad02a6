/**
 * `npm run build`'s widget step (issue 16): the Vite library build (one ES module, Lit
 * bundled in), its precompressed copies for the proxy (`.br`, `.gz`), the element's type
 * declarations for the package's `./widget` export, and `custom-elements.json` generated from
 * the element's JSDoc by @custom-elements-manifest/analyzer (the README's API section is made
 * from it). `npm start` runs this when a widget source is newer than the bundle.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'vite';
import { WIDGET_PART_NAME } from '../proxy-server/routes/widget.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const OUT = `${ROOT}dist/widget/`;
const BUNDLE = `${OUT}confera-registration.js`;

await build({ configFile: `${ROOT}vite.config.ts`, logLevel: 'warn' });

/** Writes the `.gz` and `.br` copies the proxy serves beside a built file; returns their sizes. */
function compress(file: string): { gzip: number; brotli: number } {
  const code = readFileSync(file);
  const gzip = gzipSync(code, { level: 9 });
  const brotli = brotliCompressSync(code, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: code.length },
  });
  writeFileSync(`${file}.gz`, gzip);
  writeFileSync(`${file}.br`, brotli);
  return { gzip: gzip.length, brotli: brotli.length };
}

const code = readFileSync(BUNDLE);
const sizes = compress(BUNDLE);
// The parts beside it (languages, JSONP, receipts): compressed the same way.
for (const name of readdirSync(OUT)) if (WIDGET_PART_NAME.test(name)) compress(OUT + name);

const bin = (name: string) => `${ROOT}node_modules/.bin/${name}`;
execFileSync(bin('tsc'), ['-p', `${ROOT}widget/tsconfig.build.json`], { stdio: 'inherit' });
execFileSync(
  bin('cem'),
  [
    'analyze',
    '--litelement',
    '--globs',
    'widget/confera-registration.component.ts',
    'widget/events.ts',
    '--outdir',
    'dist/widget',
    '--quiet',
  ],
  { cwd: ROOT, stdio: 'inherit' },
);

// The analyzer reads `static properties` but not `state: true`: internal state is no attribute.
const MANIFEST = `${OUT}custom-elements.json`;
interface Member {
  name: string;
  privacy?: string;
  attribute?: string;
}
interface Declaration {
  attributes?: { fieldName?: string }[];
  members?: Member[];
}
const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as { modules: { declarations?: Declaration[] }[] };
for (const declaration of manifest.modules.flatMap((m) => m.declarations ?? [])) {
  const internal = new Set((declaration.members ?? []).filter((m) => m.privacy === 'private').map((m) => m.name));
  declaration.attributes = declaration.attributes?.filter((a) => !internal.has(a.fieldName ?? ''));
  for (const member of declaration.members ?? []) if (internal.has(member.name)) delete member.attribute;
}
writeFileSync(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);

console.log(`widget: dist/widget/confera-registration.js ${code.length} B, gzip ${sizes.gzip} B, brotli ${sizes.brotli} B`);
