// Runs a server entry point: the compiled one in dist/ when `npm run build` made it,
// else the TypeScript source through tsx (a git checkout used as a dependency).
import { existsSync } from 'node:fs';

export async function runEntry(name) {
  const compiled = new URL(`../dist/${name}.js`, import.meta.url);
  if (existsSync(compiled)) {
    await import(compiled.href);
    return;
  }
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL(`../${name}.ts`, import.meta.url).href);
}
