import { AxeBuilder } from '@axe-core/playwright';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PAGES } from '../../demo/pages.js';
import { openPage, screenshot, startStack, type Stack } from './support.js';

let stack: Stack;
before(async () => {
  stack = await startStack();
});
after(async () => {
  await stack?.stop();
});

describe('every demo page', () => {
  for (const demo of PAGES) {
    it(`${demo.path}: no serious or critical axe violation, no console error or CSP violation`, async () => {
      const { page, problems } = await openPage(stack, demo.path);
      for (const el of await page.locator('confera-registration').all()) await el.locator('form').waitFor();
      const results = await new AxeBuilder({ page }).analyze();
      const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      assert.deepEqual(
        bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
        [],
      );
      assert.deepEqual(problems, []);
      if (demo.path === '/theming') await screenshot(page.locator('.night confera-registration'), 'widget-dark.png');
      await page.close();
    });
  }
});
