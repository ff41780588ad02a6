import { defineConfig } from 'vite';
import { browserGuard } from './scripts/browser-guard.js';
import { minifyTemplates } from './scripts/minify-templates.js';

/**
 * The widget's library build (SPEC §5): one ES module, Lit bundled in, served by the proxy at
 * /widget/confera-registration.js from dist/widget/. TOOLCHAIN.md: Vite 8 (rolldown) strips
 * whitespace from an ES library only with the output-level minify.
 */
export default defineConfig({
  // Fails the build if zod, server code or a Node built-in is imported by the widget (issue 15).
  plugins: [browserGuard(), minifyTemplates()],
  build: {
    outDir: 'dist/widget',
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    // Written for debugging and the bundle checks, never referenced: the proxy serves no .map (issue 16).
    sourcemap: 'hidden',
    lib: {
      entry: 'widget/confera-registration.ts',
      formats: ['es'],
      fileName: () => 'confera-registration.js',
    },
    rolldownOptions: {
      output: { minify: true, comments: false },
    },
  },
});
