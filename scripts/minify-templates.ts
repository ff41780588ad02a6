import { minifyHTMLLiterals } from 'minify-literals';
import type { Plugin } from 'vite';

/**
 * Minifies the widget's `html` and `css` template literals (Lit's): Vite minifies the code
 * around them but leaves their white space, about a fifth of the bundle (issue 16, measured
 * in docs/benchmarks.md).
 */
export function minifyTemplates(): Plugin {
  return {
    name: 'confera:minify-templates',
    enforce: 'pre',
    apply: 'build',
    async transform(code, id) {
      if (!/[\\/]widget[\\/].*\.ts$/.test(id)) return null;
      const result = await minifyHTMLLiterals(code, { fileName: id, html: { removeAttributeQuotes: true } });
      return result ? { code: result.code, map: result.map } : null;
    },
  };
}
