import { expect } from '@open-wc/testing';
import { EVERY_FIELD_TYPE } from './fields.js';
import { $, $$, mount, pick, serve } from './support.js';

describe('<confera-registration>', () => {
  describe('when the form is open', () => {
    it('is accessible', async () => {
      const el = await mount(await serve({ conference: { fields: EVERY_FIELD_TYPE } }));
      await expect(el).to.be.accessible();
    });

    it('lists the ticket types with their price in the open phase, free ones saying so', async () => {
      const el = await mount(await serve(), { lang: 'en' });
      const tickets = $$(el, '.ticket').map((t) => t.textContent!.replace(/\s+/g, ' ').trim());
      expect(tickets[0]).to.contain('Free pass').and.contain('Free');
      expect(tickets[1]).to.contain('Standard').and.contain('€149.00').and.contain('All days');
    });

    it('writes the price as the widget’s language does (de: 149,00 €)', async () => {
      const el = await mount(await serve(), { lang: 'de' });
      expect($$(el, '.price')[1]!.textContent!.replace(/\s/g, ' ')).to.equal('149,00 €');
      expect($$(el, '.price')[0]!.textContent).to.equal('Kostenlos');
    });

    it('disables and marks a sold-out ticket type', async () => {
      const el = await mount(
        await serve({
          conference: {
            ticket_types: [
              { id: 'free', name: 'Free pass', capacity: 0, prices: { 'early-bird': 0 } },
              { id: 'standard', name: 'Standard', prices: { 'early-bird': 14900 } },
            ],
          },
        }),
      );
      const radios = $$<HTMLInputElement>(el, 'input[name=ticketTypeId]');
      expect(radios[0]!.disabled).to.equal(true);
      expect($$(el, '.ticket')[0]!.textContent).to.contain('Sold out');
      // The one ticket left is chosen for the visitor.
      expect(radios[1]!.checked).to.equal(true);
    });

    it('shows the seats left where the organiser chose to show them', async () => {
      const el = await mount(
        await serve({ conference: { ticket_types: [{ id: 'free', name: 'Free pass', capacity: 3, prices: { 'early-bird': 0 } }] } }),
      );
      expect($(el, '.ticket')!.textContent).to.contain('3 left');
    });

    it('preselects the ticket-type attribute', async () => {
      const el = await mount(await serve(), { 'ticket-type': 'standard' });
      expect($<HTMLInputElement>(el, 'input[name=ticketTypeId][value=standard]')!.checked).to.equal(true);
    });

    it('asks for payment only for a paid ticket, with the chosen method’s instructions and its reference field', async () => {
      const el = await mount(await serve());
      await pick(el, 'ticketTypeId', 'free');
      expect($(el, 'input[name=paymentMethodId]')).to.equal(null);
      await pick(el, 'ticketTypeId', 'standard');
      expect($(el, 'input[name=paymentMethodId]')).not.to.equal(null);
      expect($(el, '#f-paymentReference')).to.equal(null);
      await pick(el, 'paymentMethodId', 'bank');
      expect($(el, '.instructions')!.textContent).to.contain('IBAN DE00 0000');
      const reference = $<HTMLInputElement>(el, '#f-paymentReference')!;
      expect(reference.required).to.equal(true);
      expect(reference.maxLength).to.equal(64);
      expect($(el, 'label[for=f-paymentReference]')!.textContent).to.contain('Payment reference');
    });

    it('asks for the proof of payment where the method requires it', async () => {
      const el = await mount(
        await serve({
          conference: {
            payment_methods: [{ id: 'card', name: 'Card', kind: 'card', reference_required: false, proof_required: true }],
          },
        }),
        { 'ticket-type': 'standard' },
      );
      await pick(el, 'paymentMethodId', 'card');
      expect($<HTMLInputElement>(el, '#f-paymentProofUrl')!.type).to.equal('url');
      expect($(el, '#f-paymentReference')).to.equal(null);
    });
  });

  describe('with a custom field of every type', () => {
    it('renders each with its native control, a real label, help text, required mark and limits', async () => {
      const el = await mount(await serve({ conference: { fields: EVERY_FIELD_TYPE } }));
      const input = (key: string) => $<HTMLInputElement>(el, `#f-${key}`)!;
      const label = (key: string) => $(el, `label[for=f-${key}]`)!.textContent!.trim();

      expect(input('firstName').autocomplete).to.equal('given-name');
      expect(input('firstName').maxLength).to.equal(32);
      expect(input('email').type).to.equal('email');
      expect(input('email').maxLength).to.equal(128);

      expect(label('company')).to.equal('Company');
      expect(input('company').maxLength).to.equal(40);
      expect(input('company').placeholder).to.equal('Acme');
      expect(input('company').getAttribute('aria-describedby')).to.equal('h-company');
      expect($(el, '#h-company')!.textContent).to.equal('As on your badge');

      expect(input('bio').tagName).to.equal('TEXTAREA');
      expect(input('bio').maxLength).to.equal(300);
      expect(input('workEmail').type).to.equal('email');
      expect(input('phone').type).to.equal('tel');
      expect(input('phone').pattern).to.equal('\\+?[0-9 ]{6,20}');
      expect(input('website').type).to.equal('url');
      expect([input('age').type, input('age').min, input('age').max]).to.deep.equal(['number', '16', '120']);
      expect([input('arrival').type, input('arrival').min, input('arrival').max]).to.deep.equal(['date', '2027-05-01', '2027-05-12']);

      const select = $<HTMLSelectElement>(el, '#f-dietary')!;
      expect([...select.options].map((o) => o.value)).to.deep.equal(['', 'Vegetarian', 'Vegan']);

      const size = $(el, 'fieldset#f-size')!;
      expect(size.querySelector('legend')!.textContent).to.contain('T-shirt size').and.contain('*');
      expect([...size.querySelectorAll<HTMLInputElement>('input[type=radio]')].map((r) => r.required)).to.deep.equal([true, true]);

      const consent = input('consent');
      expect([consent.type, consent.required]).to.deep.equal(['checkbox', true]);
      expect(consent.closest('label')!.textContent).to.contain('I agree to the code of conduct');

      expect($$<HTMLInputElement>(el, 'fieldset#f-tracks input[type=checkbox]').map((c) => c.value)).to.deep.equal(['web', 'data', 'ops']);
      expect($(el, '#f-hidden')).to.equal(null);
    });

    it('marks required fields and only them', async () => {
      const el = await mount(await serve({ conference: { fields: EVERY_FIELD_TYPE } }));
      const marked = (key: string) => $(el, `label[for=f-${key}] .mark`) !== null;
      expect([marked('firstName'), marked('lastName'), marked('email'), marked('company')]).to.deep.equal([true, true, true, false]);
    });
  });
});
