import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { ConferaReadyEvent, ConferaRegistration, ConferaSubmitEvent, ConferaSuccessEvent } from '../../widget/confera-registration.js';
import { EVERY_FIELD_TYPE } from './fields.js';
import { $, fillPerson, mount, pick, registrationsOf, requestsSeen, serve, submit, type } from './support.js';

describe('<confera-registration> API', () => {
  describe('events', () => {
    it('fires confera-ready, confera-submit and confera-success, bubbling out of the shadow root', async () => {
      const served = await serve();
      const seen: string[] = [];
      const host = await fixture<HTMLDivElement>(html`<div></div>`);
      for (const name of ['confera-ready', 'confera-submit', 'confera-success', 'confera-error'])
        host.addEventListener(name, (e) => seen.push(`${name}:${(e as Event).composed}`));
      const el = document.createElement('confera-registration');
      const ready = oneEvent(el, 'confera-ready') as Promise<ConferaReadyEvent>;
      el.setAttribute('endpoint', served.endpoint);
      host.append(el);
      expect((await ready).detail.config.conference.name).to.equal('Test Conference 2027');
      await el.updateComplete;
      await pick(el, 'ticketTypeId', 'free');
      await fillPerson(el, 'events');
      const submitted = oneEvent(el, 'confera-submit') as Promise<ConferaSubmitEvent>;
      const succeeded = oneEvent(el, 'confera-success') as Promise<ConferaSuccessEvent>;
      $<HTMLButtonElement>(el, 'button[type=submit]')!.click();
      expect((await submitted).detail.registration).to.deep.equal({
        firstName: 'Julie',
        lastName: 'Everettevents',
        email: 'julie.everettevents@example.org',
        ticketTypeId: 'free',
      });
      expect((await succeeded).detail.registration.reference).to.match(/^CNF-/);
      expect(seen).to.deep.equal(['confera-ready:true', 'confera-submit:true', 'confera-success:true']);
    });

    it('lets the page cancel a submit with preventDefault() on confera-submit', async () => {
      const served = await serve();
      const el = await mount(served);
      el.addEventListener('confera-submit', (e) => e.preventDefault());
      await pick(el, 'ticketTypeId', 'free');
      await fillPerson(el, 'cancel');
      $<HTMLButtonElement>(el, 'button[type=submit]')!.click();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect((await requestsSeen(served)).filter((r) => r.method === 'POST')).to.have.length(0);
      expect($(el, 'form')).not.to.equal(null);
    });
  });

  describe('languages', () => {
    it('follows the page’s language when it has no lang of its own', async () => {
      const served = await serve();
      const wrapper = await fixture<HTMLElement>(html`<section lang="fr-CA"></section>`);
      const el = document.createElement('confera-registration');
      const ready = oneEvent(el, 'confera-ready');
      el.setAttribute('endpoint', served.endpoint);
      wrapper.append(el);
      await ready;
      await el.updateComplete;
      expect($(el, 'h2')!.textContent).to.equal('Inscription à Test Conference 2027');
      expect($(el, 'button[type=submit]')!.textContent).to.equal('S’inscrire');
    });

    for (const [lang, heading, button] of [
      ['de', 'Anmeldung für Test Conference 2027', 'Anmelden'],
      ['es', 'Inscripción en Test Conference 2027', 'Inscribirme'],
      ['en', 'Register for Test Conference 2027', 'Register'],
      ['pt', 'Register for Test Conference 2027', 'Register'],
    ]) {
      it(`lang="${lang}" speaks ${lang === 'pt' ? 'English, having no Portuguese' : lang}`, async () => {
        const el = await mount(await serve(), { lang: lang! });
        expect($(el, 'h2')!.textContent).to.equal(heading);
        expect($(el, 'button[type=submit]')!.textContent).to.equal(button);
        expect($(el, 'label[for=f-firstName]')!.textContent).to.contain(
          lang === 'de' ? 'Vorname' : lang === 'es' ? 'Nombre' : 'First name',
        );
      });
    }

    it('switches language when lang changes on a shown form, fetching that language first, input kept', async () => {
      const el = await mount(await serve(), { lang: 'en' });
      await type(el, 'firstName', 'Zoé');
      el.lang = 'fr';
      await new Promise((resolve) => setTimeout(resolve, 0));
      for (let i = 0; i < 50 && $(el, 'button[type=submit]')!.textContent !== 'S’inscrire'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect($(el, 'button[type=submit]')!.textContent).to.equal('S’inscrire');
      expect($<HTMLInputElement>(el, '#f-firstName')!.value).to.equal('Zoé');
    });

    it('lets the page override any text through the strings property', async () => {
      const el = await mount(await serve(), {}, { strings: { submit: 'Count me in', heading: 'Join {conference}!' } });
      expect($(el, 'button[type=submit]')!.textContent).to.equal('Count me in');
      expect($(el, 'h2')!.textContent).to.equal('Join Test Conference 2027!');
      el.strings = { ...el.strings, submit: 'Sign up' };
      await el.updateComplete;
      expect($(el, 'button[type=submit]')!.textContent).to.equal('Sign up');
    });
  });

  describe('prefill', () => {
    it('fills in what the page knows, from attributes and the prefill property, and sends it', async () => {
      const served = await serve({ conference: { fields: EVERY_FIELD_TYPE } });
      const el = await mount(
        served,
        { 'prefill-first-name': 'Aisha', 'prefill-last-name': 'Khan', 'prefill-email': 'aisha@example.com', 'ticket-type': 'free' },
        { prefill: { company: 'Acme', size: 'M', consent: true, tracks: ['web', 'ops'], age: 30 } },
      );
      expect($<HTMLInputElement>(el, '#f-firstName')!.value).to.equal('Aisha');
      expect($<HTMLInputElement>(el, '#f-company')!.value).to.equal('Acme');
      expect($<HTMLInputElement>(el, 'input[name=size][value=M]')!.checked).to.equal(true);
      expect($<HTMLInputElement>(el, '#f-consent')!.checked).to.equal(true);
      expect($<HTMLInputElement>(el, '#f-age')!.value).to.equal('30');
      await submit(el);
      const [stored] = await registrationsOf(served);
      expect(stored!.firstName).to.equal('Aisha');
      expect(stored!.customFields).to.deep.equal({ company: 'Acme', size: 'M', consent: true, tracks: ['web', 'ops'], age: 30 });
    });

    it('sends every field type the way the backend stores it', async () => {
      const served = await serve({ conference: { fields: EVERY_FIELD_TYPE } });
      const el = await mount(served, { 'ticket-type': 'free' });
      await fillPerson(el, 'types');
      await type(el, 'bio', 'Line one\nLine two');
      await type(el, 'workEmail', 'julie@work.example');
      await type(el, 'phone', '+49 30 123456');
      await type(el, 'website', 'https://julie.example');
      await type(el, 'age', '41');
      await type(el, 'arrival', '2027-05-09');
      const select = $<HTMLSelectElement>(el, '#f-dietary')!;
      select.value = 'Vegan';
      select.dispatchEvent(new Event('change', { bubbles: true }));
      await pick(el, 'size', 'S');
      await pick(el, 'consent', 'on');
      await pick(el, 'tracks', 'data');
      await submit(el);
      const [stored] = await registrationsOf(served);
      expect(stored!.customFields).to.deep.equal({
        bio: 'Line one\nLine two',
        workEmail: 'julie@work.example',
        phone: '+49 30 123456',
        website: 'https://julie.example',
        age: 41,
        arrival: '2027-05-09',
        dietary: 'Vegan',
        size: 'S',
        consent: true,
        tracks: ['data'],
      });
    });
  });

  describe('reload() and reset()', () => {
    it('reload() reads the config again and keeps what was typed; reset() empties the form but keeps prefills', async () => {
      const el = await mount(await serve(), { 'prefill-email': 'known@example.org' });
      await type(el, 'firstName', 'Julie');
      const ready = oneEvent(el, 'confera-ready');
      void el.reload();
      await ready;
      await el.updateComplete;
      expect($<HTMLInputElement>(el, '#f-firstName')!.value).to.equal('Julie');
      el.reset();
      await el.updateComplete;
      expect($<HTMLInputElement>(el, '#f-firstName')!.value).to.equal('');
      expect($<HTMLInputElement>(el, '#f-email')!.value).to.equal('known@example.org');
    });
  });

  describe('several widgets on one page', () => {
    it('keep their own state, ids and submissions', async () => {
      const [a, b] = [await serve(), await serve()];
      const host = await fixture<HTMLDivElement>(html`<div></div>`);
      const mountIn = async (endpoint: string) => {
        const el = document.createElement('confera-registration') as ConferaRegistration;
        const ready = oneEvent(el, 'confera-ready');
        el.setAttribute('endpoint', endpoint);
        host.append(el);
        await ready;
        await el.updateComplete;
        return el;
      };
      const first = await mountIn(a.endpoint);
      const second = await mountIn(b.endpoint);
      await pick(first, 'ticketTypeId', 'free');
      await fillPerson(first, 'one');
      await submit(second);
      expect($(second, '.summary')).not.to.equal(null);
      expect($(first, '.summary')).to.equal(null);
      expect($<HTMLInputElement>(second, '#f-firstName')!.value).to.equal('');
      await submit(first);
      expect($(first, '.reference')).not.to.equal(null);
      expect($(second, 'form')).not.to.equal(null);
      expect(await registrationsOf(a)).to.have.length(1);
      expect(await registrationsOf(b)).to.have.length(0);
    });
  });

  describe('theming', () => {
    it('forces dark or light with the theme attribute, and takes --confera-* custom properties', async () => {
      const el = await mount(await serve(), { theme: 'dark' });
      const base = $(el, '.base')!;
      expect(getComputedStyle(base).colorScheme).to.equal('dark');
      expect(getComputedStyle(base).backgroundColor).to.equal('rgb(24, 27, 33)');
      el.style.setProperty('--confera-background', 'rgb(250, 248, 240)');
      el.setAttribute('theme', 'light');
      await el.updateComplete;
      expect(getComputedStyle(base).colorScheme).to.equal('light');
      expect(getComputedStyle(base).backgroundColor).to.equal('rgb(250, 248, 240)');
      await expect(el).to.be.accessible();
    });

    it('inherits the page’s font', async () => {
      const wrapper = await fixture<HTMLElement>(html`<div style="font-family: Georgia, serif"></div>`);
      const served = await serve();
      const el = document.createElement('confera-registration');
      const ready = oneEvent(el, 'confera-ready');
      el.setAttribute('endpoint', served.endpoint);
      wrapper.append(el);
      await ready;
      await el.updateComplete;
      expect(getComputedStyle($(el, 'input')!).fontFamily).to.contain('Georgia');
    });
  });

  describe('on a page with a strict Content-Security-Policy', () => {
    for (const transport of ['cors', 'jsonp']) {
      it(`renders and registers over ${transport} with no violation`, async () => {
        const served = await serve();
        const frame = await fixture<HTMLIFrameElement>(
          html`<iframe src="/__confera/strict-page?endpoint=${encodeURIComponent(served.endpoint)}&transport=${transport}"></iframe>`,
        );
        await new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
        const win = frame.contentWindow as Window & { violations: string[] };
        const el = win.document.querySelector('confera-registration') as ConferaRegistration;
        const until = async (test: () => unknown) => {
          for (let i = 0; i < 250 && !test(); i++) await new Promise((r) => setTimeout(r, 20));
        };
        await until(() => el.shadowRoot?.querySelector('form'));
        await pick(el, 'ticketTypeId', 'free');
        await fillPerson(el, `csp${transport}`);
        $<HTMLButtonElement>(el, 'button[type=submit]')!.click();
        await until(() => el.shadowRoot!.querySelector('.reference'));
        expect(el.shadowRoot!.querySelector('.reference')).not.to.equal(null);
        expect(win.violations).to.deep.equal([]);
        expect(await registrationsOf(served)).to.have.length(1);
      });
    }
  });
});
