/**
 * `npm run build`'s widget step: the Vite library build once the widget's source exists
 * (the widget issue), so that `npm run build` works at every stage of the project.
 */
import { existsSync } from 'node:fs';
import { build } from 'vite';

if (existsSync(new URL('../widget/confera-registration.ts', import.meta.url))) {
  await build({ configFile: new URL('../vite.config.ts', import.meta.url).pathname, logLevel: 'warn' });
  console.log('widget: built dist/widget/confera-registration.js');
} else {
  console.log('widget: no widget/confera-registration.ts yet; skipped');
}
