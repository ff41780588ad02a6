import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigResponse, type Config } from '../../contract/index.js';
import { DIALECTS } from '../helpers/database.js';
import { person, postRegistration, seedConference, type TestBackend } from '../helpers/backend.js';
import { backendFor, fakeClock, getWithKey } from './support.js';
import { strict } from '../helpers/strict-contract.js';

/** Two phases with a gap between them, each with its own prices. */
const TWO_PHASES = {
  phases: [
    { id: 'early-bird', name: 'Early bird', starts_at: '2027-01-01T00:00:00Z', ends_at: '2027-02-01T00:00:00Z' },
    { id: 'regular', name: 'Regular', starts_at: '2027-03-01T00:00:00Z', ends_at: '2027-05-01T00:00:00Z' },
  ],
  ticket_types: [
    { id: 'standard', name: 'Standard', prices: { 'early-bird': 9900, regular: 14900 } },
    { id: 'late', name: 'Late pass', prices: { regular: 19950 } },
  ],
};

async function getConfig(backend: TestBackend, apiKey: string): Promise<Config> {
  const response = await getWithKey(backend, apiKey, '/registrations/config');
  assert.equal(response.status, 200);
  const parsed = strict(ConfigResponse).safeParse(response.body);
  assert.ok(parsed.success, `not a ConfigResponse: ${parsed.error?.message}`);
  return parsed.data.data;
}

const ticket = (config: Config, id: string) => config.ticket_types.find((t) => t.id === id);

for (const { dialect, skip } of DIALECTS) {
  describe(`GET /registrations/config on ${dialect}`, { skip }, () => {
    it('answers the conference, its phase, tickets, payment methods and fields in the contract shape', async (t) => {
      const backend = await backendFor(t, { dialect });
      const seeded = await seedConference(backend.store);
      const response = await getWithKey(backend, seeded.apiKey, '/registrations/config');
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
      const config = strict(ConfigResponse).parse(response.body).data;
      assert.deepEqual(config.conference, {
        id: seeded.conferenceId,
        name: 'Test Conference 2027',
        starts_on: '2027-05-10',
        ends_on: '2027-05-12',
        timezone: 'Europe/Berlin',
        currency: 'EUR',
      });
      assert.equal(config.public_registration_enabled, true);
      assert.equal(config.open_phase?.id, 'early-bird');
      assert.deepEqual(ticket(config, 'standard'), {
        id: 'standard',
        name: 'Standard',
        description: 'All days',
        price: { amount: 14900, currency: 'EUR' },
        available: true,
      });
      assert.deepEqual(ticket(config, 'free')?.price, { amount: 0, currency: 'EUR' });
    });

    describe('the open phase follows the clock', () => {
      it('is null before the first phase, and every price is null', async (t) => {
        const backend = await backendFor(t, { dialect, clock: fakeClock('2026-12-15T00:00:00Z').now });
        const seeded = await seedConference(backend.store, TWO_PHASES);
        const config = await getConfig(backend, seeded.apiKey);
        assert.equal(config.open_phase, null);
        assert.equal(config.next_phase?.id, 'early-bird', 'the next phase says when sales start');
        assert.equal(config.public_registration_enabled, true);
        assert.deepEqual(
          config.ticket_types.map((tt) => [tt.id, tt.price]),
          [
            ['standard', null],
            ['late', null],
          ],
        );
      });

      it('is the phase whose window holds now, with that phase’s prices in minor units', async (t) => {
        const backend = await backendFor(t, { dialect, clock: fakeClock('2027-01-15T12:00:00Z').now });
        const seeded = await seedConference(backend.store, TWO_PHASES);
        const config = await getConfig(backend, seeded.apiKey);
        assert.deepEqual(config.open_phase, {
          id: 'early-bird',
          name: 'Early bird',
          starts_at: '2027-01-01T00:00:00Z',
          ends_at: '2027-02-01T00:00:00Z',
        });
        assert.deepEqual(ticket(config, 'standard')?.price, { amount: 9900, currency: 'EUR' });
        assert.equal('next_phase' in config, false, 'no next phase while one is open');
      });

      it('leaves out a ticket type that has no price in the open phase', async (t) => {
        const backend = await backendFor(t, { dialect, clock: fakeClock('2027-01-15T12:00:00Z').now });
        const seeded = await seedConference(backend.store, TWO_PHASES);
        const config = await getConfig(backend, seeded.apiKey);
        assert.deepEqual(
          config.ticket_types.map((tt) => tt.id),
          ['standard'],
        );
      });

      it('is null between two phases', async (t) => {
        const backend = await backendFor(t, { dialect, clock: fakeClock('2027-02-15T00:00:00Z').now });
        const seeded = await seedConference(backend.store, TWO_PHASES);
        const config = await getConfig(backend, seeded.apiKey);
        assert.equal(config.open_phase, null);
        assert.equal(config.next_phase?.starts_at, '2027-03-01T00:00:00Z');
        assert.ok(config.ticket_types.every((tt) => tt.price === null));
      });

      it('moves to the next phase when the clock reaches it', async (t) => {
        const clock = fakeClock('2027-01-31T23:59:59Z');
        const backend = await backendFor(t, { dialect, clock: clock.now });
        const seeded = await seedConference(backend.store, TWO_PHASES);
        assert.equal((await getConfig(backend, seeded.apiKey)).open_phase?.id, 'early-bird');
        clock.set('2027-02-01T00:00:00Z');
        assert.equal((await getConfig(backend, seeded.apiKey)).open_phase, null);
        clock.set('2030-01-01T00:00:00Z');
        const after = await getConfig(backend, seeded.apiKey);
        assert.deepEqual([after.open_phase, 'next_phase' in after], [null, false], 'after the last phase there is none to wait for');
        clock.set('2027-03-01T00:00:00Z');
        const config = await getConfig(backend, seeded.apiKey);
        assert.equal(config.open_phase?.id, 'regular');
        assert.deepEqual(ticket(config, 'late')?.price, { amount: 19950, currency: 'EUR' });
      });
    });

    describe('availability', () => {
      it('shows remaining seats when the organiser chose to show them', async (t) => {
        const backend = await backendFor(t, { dialect });
        const seeded = await seedConference(backend.store, {
          show_remaining: true,
          ticket_types: [{ id: 'free', name: 'Free', capacity: 3, prices: { 'early-bird': 0 } }],
        });
        assert.equal((await postRegistration(backend, seeded.apiKey, person(1))).status, 201);
        const config = await getConfig(backend, seeded.apiKey);
        assert.deepEqual(ticket(config, 'free'), {
          id: 'free',
          name: 'Free',
          price: { amount: 0, currency: 'EUR' },
          available: true,
          remaining: 2,
        });
      });

      it('marks a sold-out ticket type unavailable with 0 remaining', async (t) => {
        const backend = await backendFor(t, { dialect });
        const seeded = await seedConference(backend.store, {
          show_remaining: true,
          ticket_types: [
            { id: 'free', name: 'Free', capacity: 1, prices: { 'early-bird': 0 } },
            { id: 'other', name: 'Other', prices: { 'early-bird': 0 } },
          ],
        });
        assert.equal((await postRegistration(backend, seeded.apiKey, person(1))).status, 201);
        const config = await getConfig(backend, seeded.apiKey);
        assert.equal(ticket(config, 'free')?.available, false);
        assert.equal(ticket(config, 'free')?.remaining, 0);
        assert.equal(ticket(config, 'other')?.available, true);
        assert.equal(ticket(config, 'other')?.remaining, undefined, 'an unlimited ticket has no count to show');
      });

      it('marks every ticket type unavailable when the conference is full', async (t) => {
        const backend = await backendFor(t, { dialect });
        const seeded = await seedConference(backend.store, { capacity: 1, show_remaining: true });
        assert.equal((await postRegistration(backend, seeded.apiKey, person(1))).status, 201);
        const config = await getConfig(backend, seeded.apiKey);
        assert.deepEqual(
          config.ticket_types.map((tt) => [tt.id, tt.available, tt.remaining]),
          [
            ['free', false, 0],
            ['standard', false, 0],
          ],
        );
      });

      it('leaves remaining out when show_remaining is false, even when sold out', async (t) => {
        const backend = await backendFor(t, { dialect });
        const seeded = await seedConference(backend.store, {
          show_remaining: false,
          ticket_types: [{ id: 'free', name: 'Free', capacity: 1, prices: { 'early-bird': 0 } }],
        });
        assert.equal((await postRegistration(backend, seeded.apiKey, person(1))).status, 201);
        const config = await getConfig(backend, seeded.apiKey);
        assert.equal(ticket(config, 'free')?.available, false);
        assert.equal('remaining' in ticket(config, 'free')!, false);
      });
    });

    it('lists only active payment methods', async (t) => {
      const backend = await backendFor(t, { dialect });
      const seeded = await seedConference(backend.store, {
        payment_methods: [
          { id: 'bank', name: 'Bank transfer', kind: 'bank_transfer', instructions: 'IBAN DE00', reference_required: true },
          { id: 'cash', name: 'Cash at the door', kind: 'cash', active: false },
          { id: 'card', name: 'Card', kind: 'card', proof_required: true },
        ],
      });
      const config = await getConfig(backend, seeded.apiKey);
      assert.deepEqual(config.payment_methods, [
        {
          id: 'bank',
          name: 'Bank transfer',
          kind: 'bank_transfer',
          instructions: 'IBAN DE00',
          reference_required: true,
          proof_required: false,
        },
        { id: 'card', name: 'Card', kind: 'card', reference_required: false, proof_required: true },
      ]);
    });

    describe('fields', () => {
      it('lists the identity fields first, always enabled and required, then the custom ones in file order', async (t) => {
        const backend = await backendFor(t, { dialect });
        const seeded = await seedConference(backend.store, {
          fields: [
            { key: 'company', label: 'Company', type: 'text' },
            { key: 'dietary', label: 'Diet', type: 'select', options: [{ value: 'Vegan', label: 'Vegan' }] },
            { key: 'tshirt', label: 'T-shirt', type: 'radio', enabled: false, options: [{ value: 'M', label: 'M' }] },
            { key: 'age', label: 'Age', type: 'number', required: true, min: 16, max: 120 },
          ],
        });
        const { fields } = await getConfig(backend, seeded.apiKey);
        assert.deepEqual(
          fields.map((f) => f.key),
          ['firstName', 'lastName', 'email', 'company', 'dietary', 'tshirt', 'age'],
        );
        for (const identity of fields.slice(0, 3)) {
          assert.equal(identity.enabled, true);
          assert.equal(identity.required, true);
          assert.equal(identity.custom, undefined, `${identity.key} is not a custom field`);
        }
        assert.ok(fields.slice(3).every((f) => f.custom === true));
        assert.deepEqual(fields[3], {
          key: 'company',
          label: 'Company',
          type: 'text',
          enabled: true,
          required: false,
          custom: true,
          max_length: 256,
        });
        assert.equal(fields.find((f) => f.key === 'tshirt')?.enabled, false);
        assert.deepEqual(
          fields.find((f) => f.key === 'age'),
          {
            key: 'age',
            label: 'Age',
            type: 'number',
            enabled: true,
            required: true,
            custom: true,
            min: 16,
            max: 120,
          },
        );
      });

      it('gives the identity fields their length limits', async (t) => {
        const backend = await backendFor(t, { dialect });
        const seeded = await seedConference(backend.store, { fields: [] });
        const { fields } = await getConfig(backend, seeded.apiKey);
        assert.deepEqual(
          fields.map((f) => [f.key, f.type, f.max_length]),
          [
            ['firstName', 'text', 32],
            ['lastName', 'text', 32],
            ['email', 'email', 128],
          ],
        );
      });
    });

    describe('public_registration_enabled', () => {
      it('is false when the organiser disabled public registration', async (t) => {
        const backend = await backendFor(t, { dialect });
        const seeded = await seedConference(backend.store, { public_registration_enabled: false });
        assert.equal((await getConfig(backend, seeded.apiKey)).public_registration_enabled, false);
      });

      it('turns false once registration_closes_at has passed', async (t) => {
        const clock = fakeClock('2027-04-30T23:59:59Z');
        const backend = await backendFor(t, { dialect, clock: clock.now });
        const seeded = await seedConference(backend.store, { registration_closes_at: '2027-05-01T00:00:00Z' }, { now: clock.now() });
        assert.equal((await getConfig(backend, seeded.apiKey)).public_registration_enabled, true);
        clock.set('2027-05-01T00:00:00Z');
        assert.equal((await getConfig(backend, seeded.apiKey)).public_registration_enabled, false);
      });
    });
  });
}
