import type { Plugin } from 'vite';

/**
 * Module paths that must never reach a browser bundle: zod (25–28 KB gzip, issue 15), the
 * servers and the client (they hold Node code and would carry server logic to every visitor),
 * and Node's built-ins.
 */
const FORBIDDEN: { pattern: RegExp; why: string }[] = [
  { pattern: /[\\/]node_modules[\\/]zod[\\/]/, why: 'zod belongs to the servers; import values from contract/browser.ts' },
  { pattern: /[\\/](backend|proxy-server|client|lib)[\\/]/, why: 'server code' },
  { pattern: /^node:/, why: 'a Node built-in' },
];

/**
 * A Vite plugin that fails the build when a forbidden module is loaded into a browser bundle
 * (the widget's, and the trial bundle of `contract/browser.ts` in the tests). A type-only
 * import never loads, so `import type { Config } from '../contract/index.js'` is fine.
 */
export function browserGuard(): Plugin {
  return {
    name: 'confera:browser-guard',
    enforce: 'pre',
    load(id) {
      const hit = FORBIDDEN.find(({ pattern }) => pattern.test(id));
      if (hit) this.error(`${id} must not reach the browser bundle (${hit.why})`);
      return null;
    },
  };
}
