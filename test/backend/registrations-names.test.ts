import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { DIALECTS, type TestDialect } from '../helpers/database.js';
import { postRegistration, seedConference } from '../helpers/backend.js';
import { assertError, assertFieldErrors, backendFor, countRegistrations } from './support.js';

const JOSE = { firstName: 'José', lastName: 'Strauß', email: 'jose.strauss@example.org', ticketTypeId: 'free' };

/** A conference with José Strauß registered once; `post` sends another body. */
async function joseRegistered(t: TestContext, dialect: TestDialect) {
  const backend = await backendFor(t, { dialect });
  const seeded = await seedConference(backend.store);
  const post = (body: Record<string, unknown>) => postRegistration(backend, seeded.apiKey, body);
  assert.equal((await post(JOSE)).status, 201);
  return { post, stored: () => countRegistrations(backend, seeded.conferenceId) };
}

for (const { dialect, skip } of DIALECTS) {
  describe(`names in the duplicate rule on ${dialect}`, { skip }, () => {
    describe('when José Strauß registers a second time, written differently', () => {
      // Issue 15 item 6: the first four got through before names were stripped and fully folded.
      const variants: [string, Record<string, string>][] = [
        ['with a zero-width space', { firstName: 'Jo\u200Bsé' }],
        ['with a zero-width joiner', { firstName: 'Jo\u200Dsé' }],
        ['with a soft hyphen', { firstName: 'Jo\u00ADsé' }],
        ['with a capital sharp s', { lastName: 'STRAUẞ' }],
        ['with ss for ß', { lastName: 'Strauss' }],
        ['in fullwidth letters', { firstName: 'Ｊｏｓé' }],
        ['decomposed', { firstName: 'Jose\u0301' }],
        ['in upper case', { firstName: 'JOSÉ', lastName: 'STRAUSS' }],
        ['with a no-break space after the name', { firstName: 'José\u00A0' }],
      ];
      for (const [how, variant] of variants) {
        it(`refuses it ${how} with 409 duplicate_registration`, async (t) => {
          const form = await joseRegistered(t, dialect);
          assertError(await form.post({ ...JOSE, ...variant }), 'duplicate_registration');
          assert.equal(await form.stored(), 1);
        });
      }
    });

    describe('when a name holds invisible or text-direction characters', () => {
      it('stores and answers the name without its invisible characters', async (t) => {
        const backend = await backendFor(t, { dialect });
        const seeded = await seedConference(backend.store);
        const response = await postRegistration(backend, seeded.apiKey, {
          ...JOSE,
          firstName: '\u200BJo\u00ADsé\u200D',
          lastName: 'Strau\u2060ß',
        });
        assert.equal(response.status, 201);
        assert.equal(response.body.data.firstName, 'José');
        assert.equal(response.body.data.lastName, 'Strauß');
        const row = await backend.store.db.selectFrom('registrations').select(['first_name', 'last_name']).executeTakeFirstOrThrow();
        assert.deepEqual(row, { first_name: 'José', last_name: 'Strauß' });
      });

      for (const [code, control] of [
        ['U+202E', '\u202E'],
        ['U+202A', '\u202A'],
        ['U+2066', '\u2066'],
        ['U+2069', '\u2069'],
      ]) {
        it(`refuses a name with ${code} with 400 validation_failed, naming the field`, async (t) => {
          const form = await joseRegistered(t, dialect);
          const fields = assertFieldErrors(await form.post({ ...JOSE, email: 'other@example.org', lastName: `Strau${control}ß` }));
          assert.deepEqual(fields, { lastName: ['Must not contain text-direction controls'] });
          assert.equal(await form.stored(), 1);
        });
      }

      it('refuses a name of nothing but invisible characters with 400 validation_failed, naming the field', async (t) => {
        const form = await joseRegistered(t, dialect);
        const fields = assertFieldErrors(await form.post({ ...JOSE, email: 'other@example.org', firstName: '\u200B\u00AD \u200D' }));
        assert.deepEqual(fields, { firstName: ['Must contain visible characters'] });
        assert.equal(await form.stored(), 1);
      });
    });
  });
}
