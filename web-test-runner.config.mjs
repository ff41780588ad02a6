// The widget's browser suites (npm run test:widget): @web/test-runner in Debian's Chromium
// (TOOLCHAIN.md), TypeScript through esbuild with the widget's own tsconfig (useDefineForClassFields:
// false), and the real backend and proxies behind /__confera/ (test/helpers/widget-fixtures.ts).
// Run under tsx (see package.json), which lets this file import the TypeScript servers.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { startWidgetFixtures } from './test/helpers/widget-fixtures.ts';

const fixtures = await startWidgetFixtures();

export default {
  files: 'test/widget/**/*.test.ts',
  // Lit's production build, as in the bundle (and without its dev-mode warning in the log).
  nodeResolve: { exportConditions: ['production'] },
  concurrency: 1,
  testsFinishTimeout: 240_000,
  testFramework: { config: { timeout: 20_000 } },
  middleware: [fixtures.middleware],
  plugins: [
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './widget/tsconfig.json' }),
    {
      name: 'confera-fixtures-close',
      serverStop: () => fixtures.close(),
    },
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-dev-shm-usage',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      },
    }),
  ],
};
