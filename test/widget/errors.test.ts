import { expect, oneEvent } from '@open-wc/testing';
import type { ConferaErrorEvent, ConferaRegistration } from '../../widget/confera-registration.js';
import { EVERY_FIELD_TYPE } from './fields.js';
import {
  $,
  $$,
  fillPerson,
  identityValues,
  mount,
  patchConference,
  pick,
  registerDirectly,
  registrationsOf,
  requestsSeen,
  scriptBackend,
  serve,
  setFront,
  submit,
  summaryText,
  type,
  type Served,
} from './support.js';

const person = (n: string) => ({
  firstName: 'Julie',
  lastName: `Everett${n}`,
  email: `julie.everett${n}@example.org`,
  ticketTypeId: 'free',
});

async function readyToSend(served: Served, n: string, attributes: Record<string, string> = {}): Promise<ConferaRegistration> {
  const el = await mount(served, attributes);
  await pick(el, 'ticketTypeId', 'free');
  await fillPerson(el, n);
  return el;
}

describe('<confera-registration> errors', () => {
  describe('when the visitor’s answers do not pass the checks', () => {
    it('lists every problem in a summary that takes focus, links each to its field, and sends nothing', async () => {
      const served = await serve({ conference: { fields: EVERY_FIELD_TYPE } });
      const el = await mount(served);
      await submit(el);
      const summary = $(el, '.summary')!;
      expect(el.shadowRoot!.activeElement).to.equal(summary);
      expect(summary.querySelector('[role=alert] h3')!.textContent).to.equal('There is a problem');
      const links = $$<HTMLAnchorElement>(el, '.summary a');
      expect(links.map((a) => a.getAttribute('href'))).to.deep.equal([
        '#f-ticketTypeId',
        '#f-firstName',
        '#f-lastName',
        '#f-email',
        '#f-size',
        '#f-consent',
      ]);
      expect(links[1]!.textContent).to.equal('First name: This field is required');

      const first = $<HTMLInputElement>(el, '#f-firstName')!;
      expect(first.getAttribute('aria-invalid')).to.equal('true');
      expect(first.getAttribute('aria-describedby')).to.equal('e-firstName');
      expect($(el, '#e-firstName')!.textContent).to.equal('This field is required');
      expect($(el, '#f-size')!.getAttribute('aria-describedby')).to.equal('e-size');

      links[4]!.click();
      expect(el.shadowRoot!.activeElement).to.equal($(el, '#f-size input'));
      links[1]!.click();
      expect(el.shadowRoot!.activeElement).to.equal(first);
      expect((await requestsSeen(served)).filter((r) => r.method === 'POST')).to.deep.equal([]);
      await expect(el).to.be.accessible();
    });

    it('checks the limits the servers enforce, with the same numbers', async () => {
      const el = await mount(await serve({ conference: { fields: EVERY_FIELD_TYPE } }), { 'ticket-type': 'free' });
      await type(el, 'firstName', 'J'.repeat(33));
      await type(el, 'lastName', 'Everett');
      await type(el, 'email', 'julie@example');
      await type(el, 'company', 'C'.repeat(41));
      await type(el, 'phone', 'call me');
      await type(el, 'website', 'example.org');
      await type(el, 'age', '12');
      await type(el, 'arrival', '2027-06-01');
      await submit(el);
      const message = (key: string) => $(el, `#e-${key}`)?.textContent;
      expect(message('firstName')).to.equal('Use 32 characters or fewer');
      expect(message('lastName')).to.equal(undefined);
      expect(message('email')).to.equal('Enter an e-mail address such as name@example.com');
      expect(message('company')).to.equal('Use 40 characters or fewer');
      expect(message('phone')).to.equal('Check the format of this answer');
      expect(message('website')).to.equal('Enter a web address that starts with https://');
      expect(message('age')).to.equal('Enter 16 or more');
      expect(message('arrival')).to.equal('Enter a date on or before 2027-05-12');
      expect(message('consent')).to.equal('This field is required');
    });

    it('takes a message away as soon as its field is fixed', async () => {
      const el = await mount(await serve(), { 'ticket-type': 'free' });
      await submit(el);
      expect($(el, '#e-firstName')).not.to.equal(null);
      await type(el, 'firstName', 'Julie');
      expect($(el, '#e-firstName')).to.equal(null);
      expect($(el, '#f-firstName')!.hasAttribute('aria-invalid')).to.equal(false);
      expect($(el, '#e-lastName')).not.to.equal(null);
    });
  });

  describe('when the server refuses the registration', () => {
    it('duplicate: says the person is already registered, in plain words, and keeps the input', async () => {
      const served = await serve();
      expect(await registerDirectly(served, person('dup'))).to.equal(201);
      const el = await readyToSend(served, 'dup');
      const event = (await submit(el)) as ConferaErrorEvent;
      expect(event.detail.error.code).to.equal('duplicate_registration');
      expect(summaryText(el)).to.contain('Julie Everettdup (julie.everettdup@example.org) is already registered for this event.');
      expect(el.shadowRoot!.activeElement).to.equal($(el, '.summary'));
      expect(identityValues(el)).to.deep.equal(['Julie', 'Everettdup', 'julie.everettdup@example.org']);
      await expect(el).to.be.accessible();
    });

    it('event full: says so and keeps the input', async () => {
      const served = await serve({ conference: { capacity: 1 } });
      const el = await readyToSend(served, 'late');
      expect(await registerDirectly(served, person('first'))).to.equal(201);
      await submit(el);
      expect(summaryText(el)).to.contain('This event is full');
      expect(identityValues(el)[1]).to.equal('Everettlate');
    });

    it('ticket sold out: puts the message on the ticket, marks it sold out, and keeps the input', async () => {
      const served = await serve({
        conference: {
          ticket_types: [
            { id: 'free', name: 'Free pass', capacity: 1, prices: { 'early-bird': 0 } },
            { id: 'standard', name: 'Standard', prices: { 'early-bird': 14900 } },
          ],
        },
      });
      const el = await readyToSend(served, 'sold');
      expect(await registerDirectly(served, person('other'))).to.equal(201);
      await submit(el);
      expect($(el, '#e-ticketTypeId')!.textContent).to.equal('This ticket has just sold out. Please choose another one.');
      expect($<HTMLInputElement>(el, 'input[name=ticketTypeId][value=free]')!.disabled).to.equal(true);
      expect($$<HTMLAnchorElement>(el, '.summary a')[0]!.getAttribute('href')).to.equal('#f-ticketTypeId');
      expect(identityValues(el)[1]).to.equal('Everettsold');
    });

    it('closed after the form loaded: says registration has closed, and keeps the input', async () => {
      const served = await serve();
      const el = await readyToSend(served, 'closed');
      await patchConference(served, { public_registration_enabled: false });
      await submit(el);
      expect(summaryText(el)).to.contain('Registration has closed, so we could not register you.');
      expect(identityValues(el)[1]).to.equal('Everettclosed');
    });

    it('pricing closed after the form loaded: asks to try later', async () => {
      const served = await serve();
      const el = await readyToSend(served, 'pricing');
      await patchConference(served, {
        phases: [{ id: 'early-bird', name: 'Early bird', starts_at: '2099-01-01T00:00:00Z', ends_at: '2099-02-01T00:00:00Z' }],
      });
      await submit(el);
      expect(summaryText(el)).to.contain('Tickets are not on sale right now');
    });

    it('rate limited: says when to try again', async () => {
      const served = await serve({ rateLimit: 1 });
      expect(await registerDirectly(served, person('budget'))).to.equal(201);
      const el = await readyToSend(served, 'limited');
      const event = (await submit(el)) as ConferaErrorEvent;
      expect(event.detail.error.code).to.equal('rate_limited');
      expect(summaryText(el)).to.match(/Too many attempts from your network\. Please try again in \d+ seconds\./);
      expect(identityValues(el)[1]).to.equal('Everettlimited');
    });

    it('puts the server’s field errors on the same fields, translated where it can', async () => {
      const served = await serve({ conference: { fields: EVERY_FIELD_TYPE.slice(0, 1) } });
      await scriptBackend(served, [
        {
          status: 400,
          body: {
            error: {
              code: 'validation_failed',
              message: 'Some fields are not valid',
              details: { fields: { 'customFields.company': ['Must be at most 40 characters'], lastName: ['Must not look like that'] } },
            },
          },
        },
      ]);
      const el = await readyToSend(served, 'server', { lang: 'de' });
      await submit(el);
      expect($(el, '#e-company')!.textContent).to.equal('Verwenden Sie höchstens 40 Zeichen');
      expect($(el, '#e-lastName')!.textContent).to.equal('Must not look like that');
      expect(el.shadowRoot!.activeElement).to.equal($(el, '.summary'));
    });
  });

  describe('every error code the proxy may give', () => {
    const cases: [string, number, { summary?: string; field?: [string, string] }][] = [
      ['payment_method_required', 422, { field: ['paymentMethodId', 'Choose how you will pay'] }],
      ['unknown_payment_method', 422, { field: ['paymentMethodId', 'Choose how you will pay'] }],
      ['unknown_ticket_type', 422, { field: ['ticketTypeId', 'Choose a ticket'] }],
      ['conference_not_live', 403, { summary: 'Registration is not available right now' }],
      ['idempotency_key_reused', 422, { summary: 'Something went wrong. Please try again.' }],
      ['internal_error', 500, { summary: 'The registration service is not answering right now. Your answers are kept' }],
      ['a_code_from_the_future', 418, { summary: 'Something went wrong. Please try again.' }],
    ];
    for (const [code, status, expected] of cases) {
      it(`${code} (${status}) gets its own words${expected.field ? ' at its field' : ''}, and the input stays`, async () => {
        const served = await serve();
        await scriptBackend(served, [{ status, body: { error: { code, message: `backend says ${code}` } } }]);
        const el = await readyToSend(served, code);
        if (expected.field?.[0] === 'paymentMethodId') {
          // Shown only for a paid ticket.
          await pick(el, 'ticketTypeId', 'standard');
          await pick(el, 'paymentMethodId', 'bank');
          await type(el, 'paymentReference', 'TXN-1');
        }
        await submit(el);
        if (expected.field) expect($(el, `#e-${expected.field[0]}`)!.textContent).to.equal(expected.field[1]);
        if (expected.summary) expect(summaryText(el)).to.contain(expected.summary);
        expect(summaryText(el)).not.to.contain('backend says');
        expect(identityValues(el)[1]).to.equal(`Everett${code}`);
      });
    }
  });

  describe('when the network fails', () => {
    it('timeout: says so, keeps the input, and "try again" succeeds with the same idempotency key: one registration', async () => {
      const served = await serve();
      const el = await readyToSend(served, 'slow', { timeout: '300', transport: 'cors' });
      await setFront(served, 'hold', 1_500);
      const event = (await submit(el)) as ConferaErrorEvent;
      expect(event.detail.error.code).to.equal('timeout');
      expect(summaryText(el)).to.contain('did not answer in time');
      expect(identityValues(el)[1]).to.equal('Everettslow');
      await setFront(served, 'pass');
      // The held first attempt still reaches the backend; the retry must not register twice.
      const succeeded = oneEvent(el, 'confera-success');
      $<HTMLButtonElement>(el, '.summary button')!.click();
      await succeeded;
      const posts = (await requestsSeen(served)).filter((r) => r.method === 'POST');
      expect(posts).to.have.length(2);
      expect(posts[0]!.idempotencyKey).to.be.a('string').and.equal(posts[1]!.idempotencyKey);
      await new Promise((resolve) => setTimeout(resolve, 1_600));
      expect(await registrationsOf(served)).to.have.length(1);
    });

    it('no connection: says so, keeps the input, and the retry succeeds with the same key', async () => {
      const served = await serve();
      const el = await readyToSend(served, 'offline', { transport: 'cors' });
      await setFront(served, 'down');
      await submit(el);
      expect(summaryText(el)).to.contain('We could not reach the registration service');
      expect($<HTMLButtonElement>(el, '.summary button')!.textContent).to.equal('Try again');
      await setFront(served, 'pass');
      await submit(el);
      expect($(el, '.reference')).not.to.equal(null);
      const posts = (await requestsSeen(served)).filter((r) => r.method === 'POST');
      expect(new Set(posts.map((p) => p.idempotencyKey)).size).to.equal(1);
    });

    it('renews the idempotency key when the data changes between attempts', async () => {
      const served = await serve();
      const el = await readyToSend(served, 'change', { transport: 'cors' });
      const keys = async () => new Set((await requestsSeen(served)).filter((r) => r.method === 'POST').map((r) => r.idempotencyKey));
      await setFront(served, 'down');
      await submit(el);
      await submit(el);
      const before = await keys();
      expect(before.size).to.equal(1, 'two attempts at the same data: one key');
      await type(el, 'email', 'julie.new@example.org');
      await setFront(served, 'pass');
      await submit(el);
      const after = await keys();
      expect(after.size).to.equal(2, 'changed data: a new key');
    });

    it('waits quietly while an earlier attempt is still in flight (409 idempotency_key_in_use), then succeeds', async () => {
      const served = await serve();
      const inUse = {
        status: 409,
        headers: { 'retry-after': '1' },
        body: { error: { code: 'idempotency_key_in_use', message: 'in flight', details: { retry_after_seconds: 1 } } },
      };
      await scriptBackend(served, [inUse, inUse]);
      const el = await readyToSend(served, 'inuse');
      const errors: Event[] = [];
      el.addEventListener('confera-error', (e) => errors.push(e));
      const succeeded = oneEvent(el, 'confera-success');
      $<HTMLButtonElement>(el, 'button[type=submit]')!.click();
      await el.updateComplete;
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect($(el, 'button[type=submit]')!.getAttribute('aria-disabled')).to.equal('true');
      expect($(el, '.summary')).to.equal(null);
      await succeeded;
      expect(errors).to.have.length(0);
      const keys = (await requestsSeen(served)).filter((r) => r.method === 'POST').map((r) => r.idempotencyKey);
      expect(keys).to.have.length(3);
      expect(new Set(keys).size).to.equal(1);
    });
  });
});
