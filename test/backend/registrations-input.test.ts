import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DIALECTS, type TestDialect } from '../helpers/database.js';
import { person, postRegistration, seedConference } from '../helpers/backend.js';
import { assertFieldErrors, backendFor, countRegistrations } from './support.js';
import type { TestContext } from 'node:test';

/** One custom field of each kind the rules treat differently. */
const CUSTOM_FIELDS = [
  { key: 'company', label: 'Company', type: 'text' },
  { key: 'nickname', label: 'Badge name', type: 'text', max_length: 10 },
  { key: 'age', label: 'Age', type: 'number', min: 16, max: 120 },
  { key: 'newsletter', label: 'Newsletter', type: 'checkbox' },
  {
    key: 'topics',
    label: 'Topics',
    type: 'multiselect',
    options: [
      { value: 'web', label: 'Web' },
      { value: 'data', label: 'Data' },
    ],
  },
  { key: 'dietary', label: 'Diet', type: 'select', options: [{ value: 'Vegan', label: 'Vegan' }] },
  { key: 'tshirt', label: 'T-shirt', type: 'radio', enabled: false, options: [{ value: 'M', label: 'M' }] },
];

/** A backend with a conference that has the custom fields above; `post` sends one body. */
async function conferenceWithFields(t: TestContext, dialect: TestDialect, fields: unknown[] = CUSTOM_FIELDS) {
  const backend = await backendFor(t, { dialect });
  const seeded = await seedConference(backend.store, { fields });
  return {
    post: (body: Record<string, unknown>) => postRegistration(backend, seeded.apiKey, body),
    stored: () => countRegistrations(backend, seeded.conferenceId),
  };
}

const withCustom = (customFields: Record<string, unknown>) => person(1, { customFields });

for (const { dialect, skip } of DIALECTS) {
  describe(`create body validation on ${dialect}`, { skip }, () => {
    describe('custom fields', () => {
      it('stores valid values of every type', async (t) => {
        const form = await conferenceWithFields(t, dialect);
        const customFields = { company: 'Acme', nickname: 'Jules', age: 30, newsletter: true, topics: ['web', 'data'], dietary: 'Vegan' };
        const response = await form.post(withCustom(customFields));
        assert.equal(response.status, 201);
        assert.deepEqual(response.body.data.customFields, customFields);
      });

      const refused: [string, Record<string, unknown>, string][] = [
        ['an unknown key', { shoeSize: '42' }, 'shoeSize'],
        ['a disabled key', { tshirt: 'M' }, 'tshirt'],
        ['a select value that is not an option', { dietary: 'Carnivore' }, 'dietary'],
        ['text over the default max_length of 256', { company: 'x'.repeat(257) }, 'company'],
        ['text over its own max_length', { nickname: 'x'.repeat(11) }, 'nickname'],
        ['a number below min', { age: 15 }, 'age'],
        ['a number above max', { age: 121 }, 'age'],
        ['a number sent as text', { age: '30' }, 'age'],
        ['a checkbox that is not a boolean', { newsletter: 'yes' }, 'newsletter'],
        ['a multiselect value that is not an option', { topics: ['web', 'cooking'] }, 'topics'],
        ['a multiselect sent as a single string', { topics: 'web' }, 'topics'],
        ['a multiselect that repeats an option', { topics: ['web', 'web'] }, 'topics'],
      ];
      for (const [what, customFields, key] of refused) {
        it(`refuses ${what} with 400, naming customFields.${key}`, async (t) => {
          const form = await conferenceWithFields(t, dialect);
          const fields = assertFieldErrors(await form.post(withCustom(customFields)));
          assert.deepEqual(Object.keys(fields), [`customFields.${key}`]);
          assert.equal(await form.stored(), 0);
        });
      }

      it('accepts text of exactly 256 characters and the bounds of a number', async (t) => {
        const form = await conferenceWithFields(t, dialect);
        assert.equal((await form.post(person(1, { customFields: { company: 'x'.repeat(256), age: 16 } }))).status, 201);
        assert.equal((await form.post(person(2, { customFields: { age: 120 } }))).status, 201);
      });

      it('names every bad field at once', async (t) => {
        const form = await conferenceWithFields(t, dialect);
        const fields = assertFieldErrors(await form.post(withCustom({ age: 5, dietary: 'Carnivore', shoeSize: 42 })));
        assert.deepEqual(Object.keys(fields).sort(), ['customFields.age', 'customFields.dietary', 'customFields.shoeSize']);
      });

      it('refuses a missing required field with "Required"', async (t) => {
        const form = await conferenceWithFields(t, dialect, [{ key: 'company', label: 'Company', type: 'text', required: true }]);
        assert.deepEqual(assertFieldErrors(await form.post(person(1))), { 'customFields.company': ['Required'] });
        assert.deepEqual(assertFieldErrors(await form.post(withCustom({ company: '   ' }))), { 'customFields.company': ['Required'] });
        assert.equal((await form.post(withCustom({ company: 'Acme' }))).status, 201);
      });

      it('treats a required checkbox as one that must be ticked', async (t) => {
        const form = await conferenceWithFields(t, dialect, [
          { key: 'terms', label: 'I accept the terms', type: 'checkbox', required: true },
        ]);
        assertFieldErrors(await form.post(withCustom({ terms: false })));
        assert.equal((await form.post(withCustom({ terms: true }))).status, 201);
      });
    });

    describe('the body itself', () => {
      it('refuses an unknown top-level key with 400, naming it', async (t) => {
        const form = await conferenceWithFields(t, dialect);
        const fields = assertFieldErrors(await form.post(person(1, { nickname: 'Jules' })));
        assert.deepEqual(fields, { nickname: ['Unknown field'] });
      });

      it('refuses a body without the identity fields, naming each', async (t) => {
        const form = await conferenceWithFields(t, dialect);
        const fields = assertFieldErrors(await form.post({ ticketTypeId: 'free' }));
        assert.deepEqual(Object.keys(fields).sort(), ['email', 'firstName', 'lastName']);
      });

      it('refuses a JSON value that is not an object', async (t) => {
        const form = await conferenceWithFields(t, dialect);
        assertFieldErrors(await form.post([person(1)] as never));
      });
    });

    describe('length limits (seed 004)', () => {
      const limits: [string, unknown, unknown][] = [
        ['firstName', 'F'.repeat(32), 'F'.repeat(33)],
        ['lastName', 'L'.repeat(32), 'L'.repeat(33)],
        ['email', `${'a'.repeat(60)}@${'b'.repeat(55)}.example.org`, `${'a'.repeat(60)}@${'b'.repeat(56)}.example.org`],
        ['paymentReference', 'R'.repeat(64), 'R'.repeat(65)],
        ['paymentProofUrl', `https://example.com/${'p'.repeat(2028)}`, `https://example.com/${'p'.repeat(2029)}`],
      ];
      for (const [field, longest, tooLong] of limits) {
        it(`accepts ${field} at its limit and refuses it one character longer`, async (t) => {
          const form = await conferenceWithFields(t, dialect);
          const base = { ticketTypeId: 'standard', paymentMethodId: 'bank', paymentReference: 'TXN-1' };
          assert.equal((await form.post(person(1, { ...base, [field]: longest }))).status, 201);
          const fields = assertFieldErrors(await form.post(person(2, { ...base, [field]: tooLong })));
          assert.deepEqual(Object.keys(fields), [field]);
        });
      }

      it('refuses an e-mail address that is not one', async (t) => {
        const form = await conferenceWithFields(t, dialect);
        for (const email of ['julie', 'julie@', '@example.org', 'julie everett@example.org']) {
          assert.deepEqual(Object.keys(assertFieldErrors(await form.post(person(1, { email })))), ['email'], email);
        }
      });

      it('refuses a name with control characters', async (t) => {
        const form = await conferenceWithFields(t, dialect);
        assert.deepEqual(Object.keys(assertFieldErrors(await form.post(person(1, { firstName: 'Ju\u0000lie' })))), ['firstName']);
      });
    });

    describe('paymentProofUrl', () => {
      const proof = (n: number, url: string) =>
        person(n, { ticketTypeId: 'standard', paymentMethodId: 'bank', paymentReference: 'TXN-1', paymentProofUrl: url });

      it('accepts https: and http: on localhost', async (t) => {
        const form = await conferenceWithFields(t, dialect);
        assert.equal((await form.post(proof(1, 'https://example.com/receipt.png'))).status, 201);
        assert.equal((await form.post(proof(2, 'http://localhost:3000/receipt.png'))).status, 201);
        assert.equal((await form.post(proof(3, 'http://127.0.0.1/receipt.png'))).status, 201);
      });

      for (const url of ['http://example.com/receipt.png', 'ftp://example.com/receipt.png', 'javascript:alert(1)', 'receipt.png']) {
        it(`refuses ${url}`, async (t) => {
          const form = await conferenceWithFields(t, dialect);
          assert.deepEqual(Object.keys(assertFieldErrors(await form.post(proof(1, url)))), ['paymentProofUrl']);
        });
      }
    });
  });
}
