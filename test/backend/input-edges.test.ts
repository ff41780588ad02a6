import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DIALECTS } from '../helpers/database.js';
import { person, postRegistration, seedConference } from '../helpers/backend.js';
import { assertError, assertFieldErrors, backendFor, countRegistrations, getWithKey } from './support.js';

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

for (const { dialect, skip } of DIALECTS) {
  describe(`input PostgreSQL cannot store, and other edges, on ${dialect}`, { skip }, () => {
    it('refuses a NUL in paymentProofUrl with 400, not 500', async (t) => {
      const backend = await backendFor(t, { dialect });
      const seeded = await seedConference(backend.store);
      const body = person(1, {
        ticketTypeId: 'standard',
        paymentMethodId: 'bank',
        paymentReference: 'T-1',
        paymentProofUrl: 'https://example.org/r\u0000.png',
      });
      const fields = assertFieldErrors(await postRegistration(backend, seeded.apiKey, body));
      assert.ok(fields.paymentProofUrl);
      assert.equal(await countRegistrations(backend, seeded.conferenceId), 0);
    });

    it('refuses a cursor that is not one this API gave out (a NUL in it, another shape) with 400', async (t) => {
      const backend = await backendFor(t, { dialect });
      const seeded = await seedConference(backend.store);
      for (const cursor of [cursorOf(['2026-01-01T00:00:00.000Z', 'r_a\u0000b']), cursorOf(['a\u0000', 'b']), cursorOf(['x', 'r_abc'])]) {
        const fields = assertFieldErrors(await getWithKey(backend, seeded.apiKey, `/registrations/registrations?cursor=${cursor}`));
        assert.ok(fields.cursor);
      }
    });

    it('answers 404 for a registration id that cannot exist (a NUL in it)', async (t) => {
      const backend = await backendFor(t, { dialect });
      const seeded = await seedConference(backend.store);
      assertError(await getWithKey(backend, seeded.apiKey, '/registrations/registrations/r_a%00b'), 'not_found');
      assertError(await getWithKey(backend, seeded.apiKey, '/registrations/registrations/%00'), 'not_found');
    });

    it('answers an empty application/json POST with 400 validation_failed, not 415', async (t) => {
      const backend = await backendFor(t, { dialect });
      const seeded = await seedConference(backend.store);
      const response = await fetch(`${backend.api}/registrations/registrations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': seeded.apiKey },
      });
      assert.equal(response.status, 400);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'validation_failed');
    });
  });
}
