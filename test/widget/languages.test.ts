import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { ConferaErrorEvent, ConferaRegistration } from '../../widget/confera-registration.js';
import { $, serve, setFront } from './support.js';

// Each language but English is a module fetched when first spoken (docs/decisions.md): these
// run first in their own page, so the modules are not in the browser's module map yet.

async function until(check: () => boolean) {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(check()).to.equal(true);
}

describe('<confera-registration> languages fetched on demand', () => {
  it('follows a change of the page’s language on a shown form, fetching that language', async () => {
    const served = await serve();
    const page = await fixture<HTMLElement>(html`<section lang="en"></section>`);
    const el = document.createElement('confera-registration') as ConferaRegistration;
    const ready = oneEvent(el, 'confera-ready');
    el.setAttribute('endpoint', served.endpoint);
    page.append(el);
    await ready;
    await el.updateComplete;
    expect($(el, 'button[type=submit]')!.textContent).to.equal('Register');
    page.setAttribute('lang', 'es');
    el.requestUpdate(); // as typing in the form would
    await until(() => $(el, 'button[type=submit]')!.textContent === 'Inscribirme');
  });

  it('says in the error event what the visitor is shown, in their language, when loading fails', async () => {
    const served = await serve();
    await setFront(served, 'down');
    const el = document.createElement('confera-registration') as ConferaRegistration;
    el.lang = 'fr';
    el.transport = 'cors';
    const failed = oneEvent(el, 'confera-error') as Promise<ConferaErrorEvent>;
    el.setAttribute('endpoint', served.endpoint);
    await fixture(html`<div></div>`).then((host) => host.append(el));
    const event = await failed;
    await el.updateComplete;
    expect(event.detail.error.message).to.equal($(el, '[part=message] p')!.textContent);
    expect(event.detail.error.message).to.not.contain('could not be loaded');
  });
});
