import { AxeBuilder } from '@axe-core/playwright';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { fillForm, focused, openPage, startStack, tabTo, type Stack } from './support.js';

// The hosted form (issue 12) as website builders use it: framed by a page on a third origin,
// in a sandbox, in a box of fixed height, through embed.js; and what a refused site shows.

let stack: Stack;
before(async () => {
  stack = await startStack();
});
after(async () => {
  await stack?.stop();
});

/** A host page that frames /form and sizes the frame from its messages, keeping each height. */
function framingPage(path: string, attributes: string) {
  return stack.hostPage(
    path,
    `<!doctype html><html lang="en"><head><title>Host</title></head><body>
<iframe id="f" title="Registration form" src="{{PROXY}}/form?embed=1" ${attributes} style="width:100%;border:0;height:300px"></iframe>
<script>
  window.heights = []; window.registered = 0;
  addEventListener('message', (e) => {
    if (e.source !== document.getElementById('f').contentWindow) return;
    if (e.data.type === 'confera:resize') { window.heights.push(e.data.height); document.getElementById('f').style.height = e.data.height + 'px'; }
    if (e.data.type === 'confera:registered') window.registered++;
  });
</script></body></html>`,
  );
}

/** Registers inside the frame with the keyboard alone: an empty submit first (the summary), then the form. */
async function registerInFrame(page: Page, frame: Frame, tag: string) {
  const el = frame.locator('confera-registration');
  await el.locator('form').waitFor();
  await tabTo(page, (f) => f.startsWith('button'), 80, frame);
  await page.keyboard.press('Enter');
  await el.locator('.summary').waitFor();
  await followsTheForm(page, frame);
  await tabTo(page, (f) => f.includes('[name=ticketTypeId]'), 80, frame);
  while (!(await focused(frame)).includes('[value=community]')) await page.keyboard.press('ArrowDown');
  await tabTo(page, (f) => f.startsWith('input#f-firstName'), 80, frame);
  await page.keyboard.type('Mary');
  await page.keyboard.press('Tab');
  await page.keyboard.type(`Jackson${tag}`);
  await page.keyboard.press('Tab');
  await page.keyboard.type(`mary.${tag}@example.org`);
  await tabTo(page, (f) => f.includes('[name=codeOfConduct]'), 80, frame);
  await page.keyboard.press('Space');
  await page.keyboard.press('Enter');
  await el.locator('.reference').waitFor();
  await followsTheForm(page, frame);
}

/** The frame's height is the form page's, within a frame's tolerance, once the resize message is in. */
async function followsTheForm(page: Page, frame: Frame) {
  for (let i = 0; i < 100; i++) {
    if (Math.abs((await frameHeight(page)) - (await contentHeight(frame))) <= 2) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail(`frame ${await frameHeight(page)} px, form ${await contentHeight(frame)} px`);
}

// Page scripts are strings: this file has Node's types, not the DOM's.
const frameHeight = (page: Page, selector = '#f') =>
  page.evaluate(`document.querySelector(${JSON.stringify(selector)}).getBoundingClientRect().height`) as Promise<number>;
const contentHeight = (frame: Frame) =>
  frame.evaluate('Math.ceil(document.documentElement.getBoundingClientRect().height)') as Promise<number>;
const scrollToEnd = (frame: Frame) => frame.evaluate('window.scrollTo(0, document.body.scrollHeight)');
/** The Frame inside an iframe element. */
async function frameOf(page: Page, selector: string): Promise<Frame> {
  const handle = await page.locator(selector).elementHandle();
  return (await handle!.contentFrame())!;
}

describe('the hosted form, framed by a website builder’s page', () => {
  for (const [name, attributes] of [
    ['a plain iframe', ''],
    ['a sandbox with allow-same-origin (Wix, Google Sites)', 'sandbox="allow-scripts allow-forms allow-same-origin allow-popups"'],
    ['a sandbox without allow-same-origin (an opaque origin: the form token carries it)', 'sandbox="allow-scripts allow-forms"'],
  ] as const) {
    it(`registers in ${name}, the frame's height following the form`, async () => {
      const { page, problems } = await openPage(stack, '');
      await page.goto(framingPage(`/frame-${name.length}`, attributes));
      const inner = await frameOf(page, '#f');
      await registerInFrame(page, inner, `f${name.length}`);
      await page.waitForFunction('window.registered === 1');
      const heights = (await page.evaluate('window.heights')) as number[];
      assert.ok(new Set(heights).size >= 3, `heights reported: ${heights}`);
      assert.equal((await stack.registrations()).filter((r) => r.email === `mary.f${name.length}@example.org`).length, 1);
      assert.deepEqual(
        problems.filter((p) => !p.includes('favicon')),
        [],
      );
      await page.close();
    });
  }

  it('in a box of fixed height (400 px), scrolls the error summary and the confirmation into view', async () => {
    const { page } = await openPage(stack, '');
    await page.goto(
      stack.hostPage(
        '/fixed',
        `<!doctype html><html lang="en"><head><title>Fixed</title></head><body><iframe id="f" title="Registration form" src="{{PROXY}}/form?embed=1" style="width:600px;height:400px;border:0"></iframe></body></html>`,
      ),
    );
    const inner = await frameOf(page, '#f');
    const el = inner.locator('confera-registration');
    await el.locator('form').waitFor();
    await scrollToEnd(inner);
    await el.locator('button[type=submit]').click();
    await el.locator('.summary').waitFor();
    const inView = (selector: string) =>
      inner.evaluate(
        `(() => { const box = document.querySelector('confera-registration').shadowRoot.querySelector(${JSON.stringify(selector)}).getBoundingClientRect(); return box.top >= 0 && box.top < innerHeight; })()`,
      ) as Promise<boolean>;
    assert.equal(await inView('.summary'), true, 'the summary is scrolled into view');
    await fillForm(el, { first: 'Dorothy', last: 'Vaughan', email: 'dorothy.vaughan@example.org' });
    await scrollToEnd(inner);
    await el.locator('#f-codeOfConduct').press('Enter');
    await el.locator('.reference').waitFor();
    assert.equal(await inView('.announce'), true, 'the confirmation is scrolled into view');
    await page.close();
  });

  it('embed.js replaces its tag with a frame of the form, sized from the form’s messages', async () => {
    const { page } = await openPage(stack, '');
    await page.goto(
      stack.hostPage(
        '/embed',
        `<!doctype html><html lang="en"><head><title>Embed</title></head><body><p>Before</p><script src="{{PROXY}}/embed.js" data-lang="de" data-title="Anmeldung"></script><p>After</p></body></html>`,
      ),
    );
    const frame = page.locator('iframe[title=Anmeldung]');
    await frame.waitFor();
    assert.equal(await page.locator('script[src$="embed.js"]').count(), 0, 'the tag is replaced');
    const inner = await frameOf(page, 'iframe[title=Anmeldung]');
    await inner.locator('confera-registration form').waitFor();
    assert.equal(await inner.locator('confera-registration button[type=submit]').textContent(), 'Anmelden');
    await page.waitForFunction("Math.abs(document.querySelector('iframe').getBoundingClientRect().height - 900) > 10");
    assert.ok(Math.abs((await frameHeight(page, 'iframe')) - (await contentHeight(inner))) <= 2);
    await page.close();
  });

  it('a site the proxy refuses shows the visitor a link to the hosted form, and its owner the origin to add', async () => {
    const { page, problems } = await openPage(stack, '');
    const warnings: string[] = [];
    page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
    await page.goto(
      stack.hostPage(
        '/refused',
        `<!doctype html><html lang="en"><head><title>Refused</title></head><body><script type="module" src="{{PROXY}}/widget/confera-registration.js"></script><confera-registration endpoint="{{PROXY}}/api/registration"></confera-registration></body></html>`,
      ),
    );
    const link = page.locator('confera-registration').getByRole('link', { name: 'Open the registration form' });
    await link.waitFor();
    assert.equal(await link.getAttribute('href'), `${stack.proxyUrl}/form`);
    assert.ok(
      warnings.some((w) => w.includes(stack.host) && w.includes('ALLOWED_ORIGINS')),
      warnings.join('\n'),
    );
    void problems;
    await page.close();
  });

  it('/form names the conference once to the eye, and keeps a page heading for assistive technology', async () => {
    const { page } = await openPage(stack, '');
    await page.goto(`${stack.proxyUrl}/form`);
    await page.locator('confera-registration form').waitFor();
    const name = await page.locator('h1').textContent();
    assert.ok(name);
    assert.equal(await page.getByRole('heading', { level: 1, name }).count(), 1);
    const box = await page.locator('h1').boundingBox();
    assert.ok(box && box.width <= 1 && box.height <= 1, `the page's own heading is not drawn: ${JSON.stringify(box)}`);
    assert.ok(await page.getByRole('heading', { level: 2, name: `Register for ${name}` }).isVisible());
    await page.close();
  });

  it('/form has no serious or critical axe violation, light and dark', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const { page } = await openPage(stack, '', { colorScheme });
      await page.goto(`${stack.proxyUrl}/form`);
      await page.locator('confera-registration form').waitFor();
      const results = await new AxeBuilder({ page }).analyze();
      const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      assert.deepEqual(
        bad.map((v) => v.id),
        [],
      );
      await page.close();
    }
  });
});
