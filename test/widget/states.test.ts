import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { ConferaErrorEvent } from '../../widget/confera-registration.js';
import { $, fillPerson, mount, pick, requestsSeen, serve, setFront, submit } from './support.js';

const FUTURE = [{ id: 'later', name: 'Later', starts_at: '2099-03-01T09:00:00Z', ends_at: '2099-06-01T00:00:00Z' }];

describe('<confera-registration> states', () => {
  describe('while the config loads', () => {
    it('says so in a status message, and is accessible', async () => {
      const served = await serve();
      await setFront(served, 'hold', 1_000);
      const el = await fixture(html`<confera-registration endpoint=${served.endpoint}></confera-registration>`);
      const status = el.shadowRoot!.querySelector('[role=status]')!;
      expect(status.textContent).to.contain('Loading the registration form');
      await expect(el).to.be.accessible();
    });
  });

  describe('when the conference is closed', () => {
    it('shows the friendly closed message, and is accessible', async () => {
      const el = await mount(await serve({ conference: { public_registration_enabled: false } }));
      expect($(el, 'h2')!.textContent).to.equal('Registration is closed');
      expect($(el, '[part=message]')!.textContent).to.contain('Registration for Test Conference 2027 is closed');
      expect($(el, 'form')).to.equal(null);
      await expect(el).to.be.accessible();
    });
  });

  describe('when no pricing phase is open', () => {
    it('asks to come back later, with the date sales start, and is accessible', async () => {
      const el = await mount(
        await serve({ conference: { phases: FUTURE, ticket_types: [{ id: 'x', name: 'X', prices: { later: 100 } }] } }),
        {
          lang: 'en-GB',
        },
      );
      expect($(el, 'h2')!.textContent).to.equal('Tickets are not on sale right now');
      expect($(el, '[part=message]')!.textContent).to.contain('Tickets go on sale on 1 March 2099');
      expect($(el, 'form')).to.equal(null);
      await expect(el).to.be.accessible();
    });

    it('without a next phase, only asks to come back later', async () => {
      const past = [{ id: 'gone', name: 'Gone', starts_at: '2001-01-01T00:00:00Z', ends_at: '2002-01-01T00:00:00Z' }];
      const el = await mount(await serve({ conference: { phases: past, ticket_types: [{ id: 'x', name: 'X', prices: { gone: 100 } }] } }));
      expect($(el, '[part=message]')!.textContent).to.contain('Please come back later').and.not.contain('go on sale');
    });
  });

  describe('when every ticket is taken', () => {
    it('says the event is full instead of showing a form nobody can send, and is accessible', async () => {
      const el = await mount(await serve({ conference: { capacity: 0 } }));
      expect($(el, 'h2')!.textContent).to.equal('This event is full');
      expect($(el, '[part=message]')!.textContent).to.contain('All tickets for Test Conference 2027 are taken.');
      expect($(el, 'form')).to.equal(null);
      await expect(el).to.be.accessible();
    });
  });

  describe('when the config cannot be loaded', () => {
    it('says so, keeps the host’s fallback content, offers to try again, and is accessible', async () => {
      const served = await serve();
      await setFront(served, 'down');
      const el = document.createElement('confera-registration');
      el.innerHTML = '<a href="https://example.org/form">Register on our site</a>';
      const failed = oneEvent(el, 'confera-error') as Promise<ConferaErrorEvent>;
      el.setAttribute('endpoint', served.endpoint);
      el.setAttribute('transport', 'cors');
      await fixture(html`<div>${el}</div>`);
      const event = await failed;
      expect(event.detail.error.code).to.equal('network_error');
      await el.updateComplete;
      expect($(el, '[part=message]')!.textContent).to.contain('could not be loaded');
      const slot = $<HTMLSlotElement>(el, 'slot')!;
      expect(getComputedStyle(slot.parentElement!).display).to.equal('block');
      expect(slot.assignedElements()[0]!.textContent).to.equal('Register on our site');
      await expect(el).to.be.accessible();

      await setFront(served, 'pass');
      const ready = oneEvent(el, 'confera-ready');
      $<HTMLButtonElement>(el, 'button')!.click();
      await ready;
      await el.updateComplete;
      expect($(el, 'form')).not.to.equal(null);
      expect(getComputedStyle($(el, '.fallback')!).display).to.equal('none');
    });
  });

  describe('while submitting', () => {
    it('disables the button, says it is sending, ignores a second click, and is accessible', async () => {
      const served = await serve();
      const el = await mount(served);
      await pick(el, 'ticketTypeId', 'free');
      await fillPerson(el, 'busy');
      await setFront(served, 'hold', 600);
      const done = oneEvent(el, 'confera-success');
      const button = $<HTMLButtonElement>(el, 'button[type=submit]')!;
      button.click();
      await el.updateComplete;
      expect(button.getAttribute('aria-disabled')).to.equal('true');
      expect($(el, 'form [role=status]')!.textContent).to.contain('Sending your registration');
      button.click();
      button.click();
      await expect(el).to.be.accessible();
      await done;
      expect((await requestsSeen(served)).filter((r) => r.method === 'POST')).to.have.length(1);
    });
  });

  describe('after registering', () => {
    it('shows the reference, the ticket and price, the payment instructions, takes focus, and is accessible', async () => {
      const served = await serve();
      const el = await mount(served, { 'ticket-type': 'standard' });
      await fillPerson(el, 'paid');
      await pick(el, 'paymentMethodId', 'bank');
      const reference = $<HTMLInputElement>(el, '#f-paymentReference')!;
      reference.value = 'TXN-1';
      reference.dispatchEvent(new Event('input', { bubbles: true }));
      await submit(el);
      const success = $(el, '[part=success]')!;
      expect(success.querySelector('.reference')!.textContent).to.match(/^CNF-[2-9A-Z]{6}$/);
      expect(success.textContent).to.contain('Standard (€149.00)').and.contain('IBAN DE00 0000').and.contain('Thank you, Julie');
      expect(el.shadowRoot!.activeElement).to.equal(success.querySelector('h2'));
      await expect(el).to.be.accessible();
    });

    it('starts again empty on "register someone else"', async () => {
      const el = await mount(await serve());
      await pick(el, 'ticketTypeId', 'free');
      await fillPerson(el, 'again');
      await submit(el);
      $<HTMLButtonElement>(el, '[part=success] button')!.click();
      await el.updateComplete;
      expect($<HTMLInputElement>(el, '#f-firstName')!.value).to.equal('');
      expect($(el, '.summary')).to.equal(null);
    });
  });
});
