import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fillForm, openPage, startStack, type Stack } from './support.js';

let stack: Stack;
before(async () => {
  stack = await startStack();
});
after(async () => {
  await stack?.stop();
});

describe('when the backend goes away mid-way', () => {
  it('tells the visitor, keeps the input, and the retry registers exactly once when it is back', async () => {
    const { page } = await openPage(stack, '/');
    const el = page.locator('confera-registration');
    await el.locator('form').waitFor();
    await fillForm(el, { first: 'Katherine', last: 'Johnson', email: 'katherine.johnson@example.org' });

    await stack.backend.stop();
    await el.locator('button[type=submit]').first().click();
    const summary = el.locator('.summary');
    await summary.waitFor();
    assert.match((await summary.textContent())!, /not answering right now\. Your answers are kept/);
    assert.equal(await el.locator('#f-email').inputValue(), 'katherine.johnson@example.org');

    await stack.restartBackend();
    await summary.getByRole('button', { name: 'Try again' }).click();
    await el.locator('.reference').waitFor();
    const stored = (await stack.registrations()).filter((r) => r.email === 'katherine.johnson@example.org');
    assert.equal(stored.length, 1);
    assert.equal(stored[0]!.reference, (await el.locator('.reference').textContent())!.trim());
    await page.close();
  });
});
