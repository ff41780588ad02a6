// One linter config for the repository: ESLint's and typescript-eslint's recommended rules.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', '.tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // The widget and its browser suites run in the browser, under mocha.
    files: ['widget/**', 'test/widget/**'],
    languageOptions: { globals: { ...globals.browser, ...globals.mocha } },
  },
  {
    // The demo site's own page scripts.
    files: ['demo/public/**', 'proxy-server/form/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    rules: {
      // Tests and driver glue need `any` at the edges; the contract keeps the types.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      // Control characters in regular expressions are the point of several checks.
      'no-control-regex': 'off',
    },
  },
);
