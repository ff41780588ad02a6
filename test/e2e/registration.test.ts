import assert from 'node:assert/strict';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { demoConference } from '../../demo/seed.js';
import { png } from '../helpers/receipts.js';
import { fillForm, focused, openPage, screenshot, startStack, tabTo, type Person, type Stack } from './support.js';

// A visitor on a customer's site (one origin) registering through the proxy (another) into
// the backend: the three real servers and Debian's Chromium (issue 11).

let stack: Stack;
before(async () => {
  stack = await startStack();
});
after(async () => {
  await stack?.stop();
});

const widget = (page: Page) => page.locator('confera-registration').first();
const formShown = (page: Page) => widget(page).locator('form').waitFor();

async function fillByKeyboard(page: Page, who: Person) {
  // The ticket group: Tab reaches its first radio; arrows move through the enabled ones.
  await tabTo(page, (f) => f.includes('[name=ticketTypeId]'));
  while (!(await focused(page)).includes('[value=community]')) await page.keyboard.press('ArrowDown');
  await tabTo(page, (f) => f === 'input#f-firstName[name=firstName]');
  await page.keyboard.type(who.first);
  await page.keyboard.press('Tab');
  await page.keyboard.type(who.last);
  await page.keyboard.press('Tab');
  await page.keyboard.type(who.email);
  await tabTo(page, (f) => f.includes('[name=codeOfConduct]'));
  await page.keyboard.press('Space');
}

const fillByMouse = (page: Page, who: Person, ticket?: string) => fillForm(widget(page), who, ticket);

const person = (tag: string) => ({ first: 'Grace', last: `Hopper${tag}`, email: `grace.${tag}@example.org` });
const values = (page: Page) => Promise.all(['#f-firstName', '#f-lastName', '#f-email'].map((id) => widget(page).locator(id).inputValue()));

const RECEIPT = { name: 'transfer.png', mimeType: 'image/png', buffer: png() };

/** Opens the demo, fills the form for `who` paying by transfer, attaches RECEIPT and waits until it is. */
async function payingByReceipt(who: Person) {
  const opened = await openPage(stack, '/');
  await formShown(opened.page);
  const el = widget(opened.page);
  await fillForm(el, who, 'standard');
  await el.locator('input[name=paymentMethodId][value=bank-receipt]').check();
  await el.locator('input#f-paymentProofUrl[type=file]').setInputFiles(RECEIPT);
  await el.getByText('transfer.png is attached.').waitFor();
  return { ...opened, el };
}

describe('registering on the demo site', () => {
  it('pays by transfer with the receipt attached: uploaded through the proxy, its URL in the registration serves the file', async () => {
    const { page, problems, el } = await payingByReceipt(person('receipt'));
    await screenshot(el, 'widget-receipt.png');
    await el.locator('button[type=submit]').click();
    await el.locator('.reference').waitFor();
    const [stored] = (await stack.registrations()).filter((r) => r.email === 'grace.receipt@example.org');
    assert.match(stored!.payment_proof_url ?? '', /\/api\/registration\/receipts\/[\w-]{22}\.png$/);
    const served = await fetch(stored!.payment_proof_url!);
    assert.equal(served.headers.get('content-type'), 'image/png');
    assert.deepEqual(Buffer.from(await served.arrayBuffer()), RECEIPT.buffer);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('a receipt swept while the form stood open: the visitor is told at the file field, attaches it again and is registered', async () => {
    const { page, problems, el } = await payingByReceipt(person('swept'));
    // What the sweep does to an upload a day old.
    for (const name of readdirSync(join(stack.receiptsDir, 'pending'))) rmSync(join(stack.receiptsDir, 'pending', name));
    await el.locator('button[type=submit]').click();
    // At the file field (and in the summary above the form, as every field problem is).
    await el.locator('#e-paymentProofUrl').getByText('The receipt is no longer stored; attach it again').waitFor();
    assert.equal(await el.getByText('transfer.png is attached.').count(), 0, 'no longer said to be attached');
    await screenshot(el, 'widget-receipt-swept.png');
    assert.equal((await stack.registrations()).filter((r) => r.email === 'grace.swept@example.org').length, 0);
    // The same file again: the picker opens on an input that forgot it, or no change would fire.
    const input = el.locator('input#f-paymentProofUrl[type=file]');
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), input.click()]);
    assert.equal(await input.evaluate((i) => (i as unknown as { files: { length: number } }).files.length), 0);
    await chooser.setFiles(RECEIPT);
    await el.getByText('transfer.png is attached.').waitFor();
    await el.locator('button[type=submit]').click();
    await el.locator('.reference').waitFor();
    const [stored] = (await stack.registrations()).filter((r) => r.email === 'grace.swept@example.org');
    assert.equal((await fetch(stored!.payment_proof_url!)).status, 200);
    assert.ok(
      problems.every((p) => /400 \(Bad Request\)/.test(p)),
      problems.join('\n'),
    );
    await page.close();
  });

  it('works with the keyboard alone: the visitor sees the reference, and the registration is in the backend', async () => {
    const { page, problems } = await openPage(stack, '/');
    await formShown(page);
    await screenshot(widget(page), 'widget-light.png');
    await fillByKeyboard(page, person('keys'));
    await tabTo(page, (f) => f.startsWith('button'));
    await page.keyboard.press('Enter');
    const reference = widget(page).locator('.reference');
    await reference.waitFor();
    const shown = (await reference.textContent())!.trim();
    assert.match(shown, /^CNF-/);
    assert.ok((await focused(page)).startsWith('h2'), 'focus moves to the confirmation');
    const stored = (await stack.registrations()).filter((r) => r.email === 'grace.keys@example.org');
    assert.deepEqual(
      stored.map((r) => [r.reference, r.ticket_type_id]),
      [[shown, 'community']],
    );
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('falls back to JSONP when CORS fails on the way (answers stripped of their CORS headers)', async () => {
    const { page } = await openPage(stack, '/');
    const scripts: string[] = [];
    page.on('request', (r) => r.resourceType() === 'script' && r.url().includes('/api/registration') && scripts.push(r.url()));
    stack.stripCors = true;
    await page.reload();
    await formShown(page);
    await fillByMouse(page, person('jsonp'));
    await widget(page).locator('button[type=submit]').click();
    await widget(page).locator('.reference').waitFor();
    assert.ok(
      scripts.some((url) => url.includes('method=post')),
      'the submit went by JSONP',
    );
    assert.equal((await stack.registrations()).filter((r) => r.email === 'grace.jsonp@example.org').length, 1);
    stack.stripCors = false;
    await page.close();
  });

  it('says when the person is already registered, and keeps what they typed', async () => {
    const { page } = await openPage(stack, '/');
    await formShown(page);
    await fillByMouse(page, person('twice'));
    await widget(page).locator('button[type=submit]').click();
    await widget(page).locator('.reference').waitFor();
    await widget(page).getByRole('button', { name: 'Register someone else' }).click();
    await fillByMouse(page, person('twice'));
    await widget(page).locator('button[type=submit]').click();
    await widget(page).locator('.summary').waitFor();
    assert.match((await widget(page).locator('.summary').textContent())!, /already registered for this event/);
    assert.deepEqual(await values(page), ['Grace', 'Hoppertwice', 'grace.twice@example.org']);
    assert.equal((await stack.registrations()).filter((r) => r.email === 'grace.twice@example.org').length, 1);
    await page.close();
  });

  it('says a ticket sold out while the form was open, marks it, and keeps the input', async () => {
    const { page } = await openPage(stack, '/');
    await formShown(page);
    await fillByMouse(page, person('late'), 'workshop');
    await widget(page).locator('input[name=paymentMethodId][value=card-on-site]').check();
    // Others take the last workshop places meanwhile, through the same proxy.
    const taken = (await stack.registrations()).filter((r) => r.ticket_type_id === 'workshop').length;
    for (let i = taken; i < 3; i++) {
      const answer = await fetch(`${stack.proxyUrl}/api/registration`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: stack.site },
        body: JSON.stringify({
          firstName: 'Other',
          lastName: `Person${i}`,
          email: `other${i}@example.org`,
          ticketTypeId: 'workshop',
          paymentMethodId: 'card-on-site',
          customFields: { codeOfConduct: true },
        }),
      });
      assert.equal(answer.status, 201, await answer.text());
    }
    await widget(page).locator('button[type=submit]').click();
    const problem = widget(page).locator('#e-ticketTypeId');
    await problem.waitFor();
    assert.match((await problem.textContent())!, /just sold out/);
    assert.ok(await widget(page).locator('input[name=ticketTypeId][value=workshop]').isDisabled());
    assert.deepEqual(await values(page), ['Grace', 'Hopperlate', 'grace.late@example.org']);
    await page.close();
  });

  it('shows the closed state, and the try-later state with the date tickets go on sale', async () => {
    await stack.patchConference({ public_registration_enabled: false });
    try {
      const { page } = await openPage(stack, '/');
      await widget(page).getByRole('heading', { name: 'Registration is closed' }).waitFor();
      await page.close();
    } finally {
      await stack.patchConference({ public_registration_enabled: true });
    }
    const day = 24 * 3600 * 1000;
    const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
    const later = Date.now() + 10 * day;
    await stack.patchConference({
      phases: [
        { id: 'early-bird', name: 'Early bird', starts_at: iso(later), ends_at: iso(later + 30 * day) },
        { id: 'regular', name: 'Regular', starts_at: iso(later + 30 * day), ends_at: iso(later + 60 * day) },
      ],
    });
    try {
      const { page } = await openPage(stack, '/');
      await widget(page).getByRole('heading', { name: 'Tickets are not on sale right now' }).waitFor();
      assert.match((await widget(page).locator('[part=message]').textContent())!, /Tickets go on sale on \w+ \d+, \d{4}/);
      await page.close();
    } finally {
      await stack.patchConference({ phases: demoConference(new Date()).phases });
    }
  });
});
