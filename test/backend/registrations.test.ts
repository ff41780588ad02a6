import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RegistrationResponse } from '../../contract/index.js';
import { updateConference } from '../../backend/services/conferences.js';
import { DIALECTS } from '../helpers/database.js';
import { person, postRegistration, seedConference } from '../helpers/backend.js';
import { assertError, assertFieldErrors, backendFor, countRegistrations, fakeClock, getWithKey } from './support.js';
import { strict } from '../helpers/strict-contract.js';

/** Two free ticket types: "free" of `capacity` seats, "other" unlimited. */
const freeOfCapacity = (capacity: number) => ({
  ticket_types: [
    { id: 'free', name: 'Free pass', capacity, prices: { 'early-bird': 0 } },
    { id: 'other', name: 'Other', prices: { 'early-bird': 0 } },
  ],
});
const paid = (n: number | string, overrides: Record<string, unknown> = {}) =>
  person(n, { ticketTypeId: 'standard', paymentMethodId: 'bank', paymentReference: 'TXN-12345', ...overrides });

for (const { dialect, skip } of DIALECTS) {
  describe(`POST /registrations/registrations on ${dialect}`, { skip }, () => {
    describe('when the registration is accepted', () => {
      it('answers 201 with the registration, confirmed for a free ticket', async (t) => {
        const clock = fakeClock('2027-01-10T09:30:00.000Z');
        const backend = await backendFor(t, { dialect, clock: clock.now });
        const seeded = await seedConference(backend.store, {}, { now: clock.now() });
        const response = await postRegistration(backend, seeded.apiKey, person(1, { customFields: { dietary: 'Vegan' } }));
        assert.equal(response.status, 201);
        const registration = strict(RegistrationResponse).parse(response.body).data;
        assert.match(registration.reference, /^CNF-[2-9A-Z]{6}$/);
        assert.deepEqual(
          { ...registration, id: undefined, reference: undefined },
          {
            id: undefined,
            reference: undefined,
            status: 'confirmed',
            conferenceId: seeded.conferenceId,
            firstName: 'Julie',
            lastName: 'Everett1',
            email: 'julie.everett1@example.org',
            ticketTypeId: 'free',
            ticketTypeName: 'Free pass',
            customFields: { dietary: 'Vegan' },
            price: { amount: 0, currency: 'EUR', phaseId: 'early-bird' },
            createdAt: '2027-01-10T09:30:00.000Z',
          },
        );
      });

      it('answers pending_payment, with the price charged, for a paid ticket', async (t) => {
        const backend = await backendFor(t, { dialect });
        const seeded = await seedConference(backend.store);
        const response = await postRegistration(backend, seeded.apiKey, paid(1));
        assert.equal(response.status, 201);
        const registration = strict(RegistrationResponse).parse(response.body).data;
        assert.equal(registration.status, 'pending_payment');
        assert.deepEqual(registration.price, { amount: 14900, currency: 'EUR', phaseId: 'early-bird' });
        assert.equal(registration.paymentMethodId, 'bank');
        assert.equal(registration.paymentReference, 'TXN-12345');
      });

      it('points Location at the new registration, which GET then answers', async (t) => {
        const backend = await backendFor(t, { dialect });
        const seeded = await seedConference(backend.store);
        const created = await postRegistration(backend, seeded.apiKey, person(1));
        const location = created.headers.get('location');
        assert.equal(location, `/api/public/v1/registrations/registrations/${created.body.data.id}`);
        const fetched = await getWithKey(backend, seeded.apiKey, `${backend.url}${location}`);
        assert.equal(fetched.status, 200);
        assert.deepEqual(fetched.body, created.body);
      });

      it('gives every registration its own reference', async (t) => {
        const backend = await backendFor(t, { dialect });
        const seeded = await seedConference(backend.store);
        const references = new Set<string>();
        for (let n = 0; n < 20; n++) references.add((await postRegistration(backend, seeded.apiKey, person(n))).body.data.reference);
        assert.equal(references.size, 20);
      });
    });

    describe('when the same person registers twice', () => {
      const cases: [string, Record<string, unknown>][] = [
        ['exactly the same', {}],
        ['in other letter cases', { firstName: 'JULIE', lastName: 'everett1', email: 'Julie.Everett1@Example.ORG' }],
        ['with surrounding white space', { firstName: '  Julie ', lastName: '\tEverett1  ', email: ' julie.everett1@example.org ' }],
        ['with fullwidth letters (NFKC)', { firstName: 'Ｊｕｌｉｅ', lastName: 'Ｅｖｅｒｅｔｔ１' }],
      ];
      for (const [how, variant] of cases) {
        it(`refuses the second registration ${how} with 409 duplicate_registration`, async (t) => {
          const backend = await backendFor(t, { dialect });
          const seeded = await seedConference(backend.store);
          assert.equal((await postRegistration(backend, seeded.apiKey, person(1))).status, 201);
          assertError(await postRegistration(backend, seeded.apiKey, person(1, variant)), 'duplicate_registration');
          assert.equal(await countRegistrations(backend, seeded.conferenceId), 1);
        });
      }

      it('treats runs of inner white space as one space', async (t) => {
        const backend = await backendFor(t, { dialect });
        const seeded = await seedConference(backend.store);
        assert.equal((await postRegistration(backend, seeded.apiKey, person(1, { firstName: 'Mary Ann' }))).status, 201);
        assertError(await postRegistration(backend, seeded.apiKey, person(1, { firstName: 'Mary   Ann' })), 'duplicate_registration');
      });

      it('says who is already registered, in the words of seed 004', async (t) => {
        const backend = await backendFor(t, { dialect });
        const seeded = await seedConference(backend.store);
        const julie = { firstName: 'Julie', lastName: 'Everett', email: 'julie.everett@example.org', ticketTypeId: 'free' };
        await postRegistration(backend, seeded.apiKey, julie);
        const error = assertError(await postRegistration(backend, seeded.apiKey, julie), 'duplicate_registration');
        assert.equal(error.message, 'Julie Everett (julie.everett@example.org) is already registered for this event');
      });

      it('accepts the same person for another conference', async (t) => {
        const backend = await backendFor(t, { dialect });
        const first = await seedConference(backend.store);
        const second = await seedConference(backend.store);
        assert.equal((await postRegistration(backend, first.apiKey, person(1))).status, 201);
        assert.equal((await postRegistration(backend, second.apiKey, person(1))).status, 201);
      });
    });

    describe('capacity', () => {
      it('refuses with 409 event_full once the conference is full', async (t) => {
        const backend = await backendFor(t, { dialect });
        const seeded = await seedConference(backend.store, { capacity: 2 });
        for (const n of [1, 2]) assert.equal((await postRegistration(backend, seeded.apiKey, person(n))).status, 201);
        assertError(await postRegistration(backend, seeded.apiKey, paid(3)), 'event_full');
        assert.equal(await countRegistrations(backend, seeded.conferenceId), 2);
      });

      it('refuses with 409 ticket_sold_out when the ticket type is sold out, while other types still sell', async (t) => {
        const backend = await backendFor(t, { dialect });
        const seeded = await seedConference(backend.store, freeOfCapacity(1));
        assert.equal((await postRegistration(backend, seeded.apiKey, person(1))).status, 201);
        assertError(await postRegistration(backend, seeded.apiKey, person(2)), 'ticket_sold_out');
        assert.equal((await postRegistration(backend, seeded.apiKey, person(2, { ticketTypeId: 'other' }))).status, 201);
      });

      it('sells none of a ticket type of capacity 0, nor of a conference of capacity 0', async (t) => {
        const backend = await backendFor(t, { dialect });
        const none = await seedConference(backend.store, freeOfCapacity(0));
        assertError(await postRegistration(backend, none.apiKey, person(1)), 'ticket_sold_out');
        assert.equal((await postRegistration(backend, none.apiKey, person(1, { ticketTypeId: 'other' }))).status, 201);
        const empty = await seedConference(backend.store, { capacity: 0 });
        assertError(await postRegistration(backend, empty.apiKey, person(2)), 'event_full');
      });
    });

    describe('when registration is not open', () => {
      it('answers 404 registration_closed when public registration is disabled', async (t) => {
        const backend = await backendFor(t, { dialect });
        const seeded = await seedConference(backend.store, { public_registration_enabled: false });
        assertError(await postRegistration(backend, seeded.apiKey, person(1)), 'registration_closed');
        assert.equal(await countRegistrations(backend, seeded.conferenceId), 0);
      });

      it('answers 404 registration_closed once registration_closes_at has passed', async (t) => {
        const clock = fakeClock('2027-04-30T23:59:59Z');
        const backend = await backendFor(t, { dialect, clock: clock.now });
        const seeded = await seedConference(backend.store, { registration_closes_at: '2027-05-01T00:00:00Z' }, { now: clock.now() });
        assert.equal((await postRegistration(backend, seeded.apiKey, person(1))).status, 201);
        clock.set('2027-05-01T00:00:00Z');
        assertError(await postRegistration(backend, seeded.apiKey, person(2)), 'registration_closed');
      });
    });

    describe('when the conference is not live, its keys stop working', () => {
      for (const status of ['draft', 'ended']) {
        it(`answers 403 conference_not_live for a ${status} conference, on every endpoint`, async (t) => {
          const backend = await backendFor(t, { dialect });
          const seeded = await seedConference(backend.store, { status });
          assertError(await postRegistration(backend, seeded.apiKey, person(1)), 'conference_not_live');
          assertError(await getWithKey(backend, seeded.apiKey, '/registrations/config'), 'conference_not_live');
          assertError(await getWithKey(backend, seeded.apiKey, '/registrations/registrations'), 'conference_not_live');
        });
      }

      it('answers 403 conference_not_live once the plan has ended', async (t) => {
        const clock = fakeClock('2027-12-30T23:59:59Z');
        const backend = await backendFor(t, { dialect, clock: clock.now });
        const seeded = await seedConference(backend.store, { plan_ends_at: '2027-12-31T00:00:00Z' }, { now: clock.now() });
        assert.equal((await postRegistration(backend, seeded.apiKey, person(1))).status, 201);
        clock.set('2027-12-31T00:00:00Z');
        assertError(await postRegistration(backend, seeded.apiKey, person(2)), 'conference_not_live');
        assertError(await getWithKey(backend, seeded.apiKey, '/registrations/config'), 'conference_not_live');
      });

      it('stops a working key when the organiser ends the conference', async (t) => {
        const backend = await backendFor(t, { dialect });
        const seeded = await seedConference(backend.store);
        assert.equal((await postRegistration(backend, seeded.apiKey, person(1))).status, 201);
        await updateConference(backend.store.db, seeded.conferenceId, { status: 'ended' }, new Date());
        assertError(await postRegistration(backend, seeded.apiKey, person(2)), 'conference_not_live');
      });

      it('answers a person already registered with the stored rules first: registration_closed, not duplicate', async (t) => {
        const backend = await backendFor(t, { dialect });
        const seeded = await seedConference(backend.store);
        assert.equal((await postRegistration(backend, seeded.apiKey, person(1))).status, 201);
        await updateConference(backend.store.db, seeded.conferenceId, { public_registration_enabled: false }, new Date());
        assertError(await postRegistration(backend, seeded.apiKey, person(1)), 'registration_closed');
      });

      // PostgreSQL decides creates on the document the process last read (registrations-postgres.ts).
      it("decides every create on the organiser's latest document: a ticket type just added, a name just changed", async (t) => {
        const backend = await backendFor(t, { dialect });
        const seeded = await seedConference(backend.store);
        assert.equal((await postRegistration(backend, seeded.apiKey, person(1))).status, 201);
        const late = { id: 'late', name: 'Late pass', prices: { 'early-bird': 0 } };
        await updateConference(
          backend.store.db,
          seeded.conferenceId,
          { ticket_types: [{ id: 'free', name: 'Free pass', prices: { 'early-bird': 0 } }, late] },
          new Date(),
        );
        const added = await postRegistration(backend, seeded.apiKey, person(2, { ticketTypeId: 'late' }));
        assert.equal(added.status, 201, JSON.stringify(added.body));
        await updateConference(
          backend.store.db,
          seeded.conferenceId,
          { ticket_types: [{ id: 'free', name: 'Community pass', prices: { 'early-bird': 0 } }] },
          new Date(),
        );
        assert.equal((await postRegistration(backend, seeded.apiKey, person(3))).body.data.ticketTypeName, 'Community pass');
        assertError(await postRegistration(backend, seeded.apiKey, person(4, { ticketTypeId: 'late' })), 'unknown_ticket_type');
      });
    });

    describe('pricing and tickets', () => {
      it('answers 422 pricing_closed when no phase is open', async (t) => {
        const backend = await backendFor(t, { dialect, clock: fakeClock('2027-02-15T00:00:00Z').now });
        const seeded = await seedConference(backend.store, {
          phases: [
            { id: 'early-bird', name: 'Early bird', starts_at: '2027-01-01T00:00:00Z', ends_at: '2027-02-01T00:00:00Z' },
            { id: 'regular', name: 'Regular', starts_at: '2027-03-01T00:00:00Z', ends_at: '2027-05-01T00:00:00Z' },
          ],
        });
        assertError(await postRegistration(backend, seeded.apiKey, person(1)), 'pricing_closed');
      });

      it('charges the price of the phase open at the time', async (t) => {
        const clock = fakeClock('2027-01-15T00:00:00Z');
        const backend = await backendFor(t, { dialect, clock: clock.now });
        const seeded = await seedConference(backend.store, {
          phases: [
            { id: 'early-bird', name: 'Early bird', starts_at: '2027-01-01T00:00:00Z', ends_at: '2027-02-01T00:00:00Z' },
            { id: 'regular', name: 'Regular', starts_at: '2027-02-01T00:00:00Z', ends_at: '2027-05-01T00:00:00Z' },
          ],
          ticket_types: [{ id: 'standard', name: 'Standard', prices: { 'early-bird': 9900, regular: 14900 } }],
        });
        assert.deepEqual((await postRegistration(backend, seeded.apiKey, paid(1))).body.data.price, {
          amount: 9900,
          currency: 'EUR',
          phaseId: 'early-bird',
        });
        clock.set('2027-02-01T00:00:00Z');
        assert.deepEqual((await postRegistration(backend, seeded.apiKey, paid(2))).body.data.price, {
          amount: 14900,
          currency: 'EUR',
          phaseId: 'regular',
        });
      });

      it('answers 422 unknown_ticket_type for a ticket type the conference does not have', async (t) => {
        const backend = await backendFor(t, { dialect });
        const seeded = await seedConference(backend.store);
        assertError(await postRegistration(backend, seeded.apiKey, person(1, { ticketTypeId: 'vip' })), 'unknown_ticket_type');
      });

      it('answers 422 unknown_ticket_type for a ticket type not on sale in the open phase', async (t) => {
        const backend = await backendFor(t, { dialect });
        const seeded = await seedConference(backend.store, {
          ticket_types: [
            { id: 'free', name: 'Free pass', prices: { 'early-bird': 0 } },
            { id: 'late', name: 'Late pass', prices: {} },
          ],
        });
        assertError(await postRegistration(backend, seeded.apiKey, person(1, { ticketTypeId: 'late' })), 'unknown_ticket_type');
      });
    });

    describe('payment', () => {
      it('answers 422 payment_method_required for a paid ticket without a method', async (t) => {
        const backend = await backendFor(t, { dialect });
        const seeded = await seedConference(backend.store);
        assertError(await postRegistration(backend, seeded.apiKey, person(1, { ticketTypeId: 'standard' })), 'payment_method_required');
      });

      it('answers 422 unknown_payment_method for a method the conference does not have', async (t) => {
        const backend = await backendFor(t, { dialect });
        const seeded = await seedConference(backend.store);
        assertError(await postRegistration(backend, seeded.apiKey, paid(1, { paymentMethodId: 'paypal' })), 'unknown_payment_method');
      });

      it('answers 422 unknown_payment_method for an inactive method', async (t) => {
        const backend = await backendFor(t, { dialect });
        const seeded = await seedConference(backend.store, {
          payment_methods: [{ id: 'bank', name: 'Bank transfer', kind: 'bank_transfer', active: false }],
        });
        assertError(await postRegistration(backend, seeded.apiKey, paid(1)), 'unknown_payment_method');
      });

      it('needs paymentReference when the method requires a reference', async (t) => {
        const backend = await backendFor(t, { dialect });
        const seeded = await seedConference(backend.store);
        const fields = assertFieldErrors(await postRegistration(backend, seeded.apiKey, paid(1, { paymentReference: undefined })));
        assert.deepEqual(Object.keys(fields), ['paymentReference']);
      });

      it('needs paymentProofUrl when the method requires a proof', async (t) => {
        const backend = await backendFor(t, { dialect });
        const seeded = await seedConference(backend.store, {
          payment_methods: [{ id: 'bank', name: 'Bank transfer', kind: 'bank_transfer', proof_required: true }],
        });
        const fields = assertFieldErrors(await postRegistration(backend, seeded.apiKey, paid(1)));
        assert.deepEqual(Object.keys(fields), ['paymentProofUrl']);
        const ok = await postRegistration(backend, seeded.apiKey, paid(1, { paymentProofUrl: 'https://example.com/receipt.png' }));
        assert.equal(ok.status, 201);
        assert.equal(ok.body.data.paymentProofUrl, 'https://example.com/receipt.png');
      });

      it('needs no payment method for a free ticket', async (t) => {
        const backend = await backendFor(t, { dialect });
        const seeded = await seedConference(backend.store);
        const response = await postRegistration(backend, seeded.apiKey, person(1));
        assert.equal(response.status, 201);
        assert.equal('paymentMethodId' in response.body.data, false);
      });
    });
  });
}
