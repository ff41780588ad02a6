import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Config, Registration } from '../../contract/index.js';
import { chooseFreeTicket, toCreateRegistration, toPubFieldErrors, toPubRegistration } from '../../proxy-server/pub-resource-mapping.js';

const everyField = {
  Contact: {
    FirstName: 'Julie',
    LastName: 'Everett',
    Email: 'julie.everett@example.org',
    PhoneWork: '+64 4 123 4567',
    PhoneHome: '+64 4 987 6543',
    Mobile: '+64 21 1234 5678',
    Employment: {
      OrganisationName: 'Acme Industries Ltd',
      Position: 'General Manager',
      Department: 'Human Resources',
      BusinessUnit: 'TWI',
    },
    SpecialDiet: 'Vegetarian',
    Disability: 'Wheelchair',
    Code: 'M-123',
  },
  Comments: 'Test comment',
};

const customFields = {
  phoneWork: '+64 4 123 4567',
  phoneHome: '+64 4 987 6543',
  mobile: '+64 21 1234 5678',
  organisationName: 'Acme Industries Ltd',
  position: 'General Manager',
  department: 'Human Resources',
  businessUnit: 'TWI',
  specialDiet: 'Vegetarian',
  disability: 'Wheelchair',
  code: 'M-123',
  comments: 'Test comment',
};

function stored(overrides: Partial<Registration> = {}): Registration {
  return {
    id: 'r_1',
    reference: 'CNF-7K2Q9X',
    status: 'confirmed',
    conferenceId: '987',
    firstName: 'Julie',
    lastName: 'Everett',
    email: 'julie.everett@example.org',
    ticketTypeId: 'free',
    ticketTypeName: 'Free pass',
    customFields: {},
    region: 'nz',
    price: { amount: 0, currency: 'NZD', phaseId: 'open' },
    createdAt: '2027-01-01T00:00:00Z',
    ...overrides,
  };
}

function config(ticketTypes: Config['ticket_types'], overrides: Partial<Config> = {}): Config {
  return {
    conference: { id: '987', name: 'E', starts_on: '2027-05-10', ends_on: '2027-05-12', timezone: 'Pacific/Auckland', currency: 'NZD' },
    public_registration_enabled: true,
    open_phase: { id: 'open', name: 'Open', starts_at: '2000-01-01T00:00:00Z', ends_at: '2100-01-01T00:00:00Z' },
    ticket_types: ticketTypes,
    payment_methods: [],
    fields: [],
    ...overrides,
  };
}

const ticket = (id: string, amount: number | null, available = true) => ({
  id,
  name: id,
  price: amount === null ? null : { amount, currency: 'NZD' },
  available,
});

describe('the seed-004 mapping', () => {
  describe('toCreateRegistration', () => {
    it('puts the identity fields and region at the top and every other field in customFields under its camelCase name', () => {
      assert.deepEqual(toCreateRegistration(everyField, { region: 'nz', ticketTypeId: 'free' }), {
        firstName: 'Julie',
        lastName: 'Everett',
        email: 'julie.everett@example.org',
        ticketTypeId: 'free',
        region: 'nz',
        customFields,
      });
    });

    it('sends no customFields for a Contact with the identity fields only', () => {
      const body = toCreateRegistration(
        { Contact: { FirstName: 'A', LastName: 'B', Email: 'a@example.org' } },
        { region: 'au', ticketTypeId: 't' },
      );
      assert.deepEqual(body, { firstName: 'A', lastName: 'B', email: 'a@example.org', ticketTypeId: 't', region: 'au' });
    });

    it('keeps an empty value, so that the backend decides about it', () => {
      const body = toCreateRegistration(
        { Contact: { FirstName: 'A', LastName: 'B', Email: 'a@example.org', Code: '' } },
        { region: 'nz', ticketTypeId: 't' },
      );
      assert.deepEqual(body.customFields, { code: '' });
    });
  });

  describe('toPubRegistration', () => {
    it('is the inverse for a registration with every field, in seed 004’s order', () => {
      const echo = toPubRegistration(stored({ customFields }));
      assert.deepEqual(echo, everyField);
      assert.equal(JSON.stringify(echo), JSON.stringify(everyField));
    });

    it('leaves out what was not stored, Employment and Comments included', () => {
      assert.deepEqual(toPubRegistration(stored({ customFields: { mobile: '1' } })), {
        Contact: { FirstName: 'Julie', LastName: 'Everett', Email: 'julie.everett@example.org', Mobile: '1' },
      });
    });
  });

  describe('toPubFieldErrors', () => {
    it('names the backend’s paths as seed 004’s and leaves others as they are', () => {
      assert.deepEqual(
        toPubFieldErrors({
          firstName: ['Required'],
          'customFields.phoneWork': ['Unknown field'],
          'customFields.businessUnit': ['Must be at most 64 characters'],
          'customFields.comments': ['Too long'],
          region: ['Must be a region code such as nz'],
        }),
        {
          'Contact.FirstName': ['Required'],
          'Contact.PhoneWork': ['Unknown field'],
          'Contact.Employment.BusinessUnit': ['Must be at most 64 characters'],
          Comments: ['Too long'],
          region: ['Must be a region code such as nz'],
        },
      );
    });

    it('treats a __proto__ path as data', () => {
      const mapped = toPubFieldErrors(JSON.parse('{"__proto__":["x"]}'));
      assert.deepEqual(Object.keys(mapped), ['__proto__']);
      assert.equal(Object.getPrototypeOf(mapped), Object.prototype);
    });
  });

  describe('chooseFreeTicket', () => {
    it('takes the first free ticket type that is available', () => {
      const choice = chooseFreeTicket(config([ticket('paid', 100), ticket('gone', 0, false), ticket('free', 0), ticket('free2', 0)]));
      assert.deepEqual(choice, { ok: true, ticketTypeId: 'free' });
    });

    it('takes the first free one when none is available (the backend then says sold out)', () => {
      assert.deepEqual(chooseFreeTicket(config([ticket('paid', 100), ticket('a', 0, false), ticket('b', 0, false)])), {
        ok: true,
        ticketTypeId: 'a',
      });
    });

    it('says payment_required when no ticket type is free', () => {
      assert.deepEqual(chooseFreeTicket(config([ticket('paid', 100)])), { ok: false, reason: 'payment_required' });
    });

    it('says pricing_closed when no phase is open', () => {
      assert.deepEqual(chooseFreeTicket(config([ticket('free', null)], { open_phase: null })), { ok: false, reason: 'pricing_closed' });
    });

    it('says closed when public registration is off', () => {
      assert.deepEqual(chooseFreeTicket(config([ticket('free', 0)], { public_registration_enabled: false })), {
        ok: false,
        reason: 'closed',
      });
    });
  });
});
