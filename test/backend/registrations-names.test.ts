import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DIALECTS } from '../helpers/database.js';
import { postRegistration, seedConference, startBackend, type TestBackend } from '../helpers/backend.js';
import { assertError, assertFieldErrors, countRegistrations } from './support.js';

const JOSE = { firstName: 'José', lastName: 'Strauß', email: 'jose.strauss@example.org', ticketTypeId: 'free' };

for (const { dialect, skip } of DIALECTS) {
  describe(`names in the duplicate rule on ${dialect}`, { skip }, () => {
    // One backend for the block, a conference of its own for each test: a database per test
    // cost more than the tests themselves.
    let backend: TestBackend;
    before(async () => (backend = await startBackend({ dialect })));
    after(() => backend?.close());

    /** A conference of this test's own; `post` sends one body to it. */
    async function conference() {
      const seeded = await seedConference(backend.store);
      return {
        conferenceId: seeded.conferenceId,
        post: (body: Record<string, unknown>) => postRegistration(backend, seeded.apiKey, body),
        stored: () => countRegistrations(backend, seeded.conferenceId),
      };
    }

    /** A conference with José Strauß registered once. */
    async function joseRegistered() {
      const form = await conference();
      assert.equal((await form.post(JOSE)).status, 201);
      return form;
    }

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
        it(`refuses it ${how} with 409 duplicate_registration`, async () => {
          const form = await joseRegistered();
          assertError(await form.post({ ...JOSE, ...variant }), 'duplicate_registration');
          assert.equal(await form.stored(), 1);
        });
      }
    });

    describe('when a name holds invisible or text-direction characters', () => {
      it('stores and answers the name without its invisible characters', async () => {
        const form = await conference();
        const response = await form.post({ ...JOSE, firstName: '\u200BJo\u00ADsé\u200D', lastName: 'Strau\u2060ß' });
        assert.equal(response.status, 201);
        assert.equal(response.body.data.firstName, 'José');
        assert.equal(response.body.data.lastName, 'Strauß');
        const row = await backend.store.db
          .selectFrom('registrations')
          .select(['first_name', 'last_name'])
          .where('conference_id', '=', form.conferenceId)
          .executeTakeFirstOrThrow();
        assert.deepEqual(row, { first_name: 'José', last_name: 'Strauß' });
      });

      for (const [code, control] of [
        ['U+202E', '\u202E'],
        ['U+202A', '\u202A'],
        ['U+2066', '\u2066'],
        ['U+2069', '\u2069'],
      ]) {
        it(`refuses a name with ${code} with 400 validation_failed, naming the field`, async () => {
          const form = await joseRegistered();
          const fields = assertFieldErrors(await form.post({ ...JOSE, email: 'other@example.org', lastName: `Strau${control}ß` }));
          assert.deepEqual(fields, { lastName: ['Must not contain text-direction controls'] });
          assert.equal(await form.stored(), 1);
        });
      }

      it('refuses a name of nothing but invisible characters with 400 validation_failed, naming the field', async () => {
        const form = await joseRegistered();
        const fields = assertFieldErrors(await form.post({ ...JOSE, email: 'other@example.org', firstName: '\u200B\u00AD \u200D' }));
        assert.deepEqual(fields, { firstName: ['Must contain visible characters'] });
        assert.equal(await form.stored(), 1);
      });
    });
  });
}
