import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** The widget's sources and build settings: a bundle older than any of them is built again. */
const WIDGET_INPUTS = [
  'widget',
  'contract/browser.ts',
  'contract/custom-fields.ts',
  'vite.config.ts',
  'scripts/build-widget.ts',
  'scripts/minify-templates.ts',
  'scripts/browser-guard.ts',
  'package-lock.json',
];

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  // A folder's own time changes when a file in it is added or deleted.
  return Math.max(info.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/**
 * `npm start` on a fresh clone, or after an edit of the widget, builds it first (issue 16);
 * the end-to-end tests too.
 */
export function ensureWidgetBuilt(): void {
  // The manifest is the build's last step: a build that failed half-way is not taken for done.
  const bundle = join(ROOT, 'dist/widget/confera-registration.js');
  const manifest = join(ROOT, 'dist/widget/custom-elements.json');
  const built = existsSync(bundle) && existsSync(manifest) ? Math.min(statSync(bundle).mtimeMs, statSync(manifest).mtimeMs) : 0;
  if (built >= Math.max(...WIDGET_INPUTS.map((input) => newest(join(ROOT, input))))) return;
  console.log(built ? 'widget: sources changed; building it again…' : 'widget: building it (first start)…');
  execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/build-widget.ts')], { cwd: ROOT, stdio: 'inherit' });
}
