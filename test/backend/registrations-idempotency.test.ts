import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createApiKey } from '../../backend/services/api-keys.js';
import { requestHash } from '../../backend/services/idempotency.js';
import { DIALECTS } from '../helpers/database.js';
import { person, postRegistration, seedConference, type TestBackend } from '../helpers/backend.js';
import { assertError, assertFieldErrors, backendFor, countRegistrations, fakeClock } from './support.js';

const key = (value: string) => ({ 'idempotency-key': value });

/** What another backend process leaves in the table while it works on a key (or dies doing so). */
async function claimInFlight(backend: TestBackend, apiKeyId: string, idempotencyKey: string, body: unknown, at: Date) {
  await backend.store.db
    .insertInto('idempotency_keys')
    .values({
      api_key_id: apiKeyId,
      key: idempotencyKey,
      request_hash: requestHash(body),
      state: 'in_flight',
      response_status: null,
      response_body: null,
      created_at: at.toISOString(),
    })
    .execute();
}

for (const { dialect, skip } of DIALECTS) {
  describe(`Idempotency-Key on ${dialect}`, { skip }, () => {
    it('replays the first answer, status and body, for the same key and body, and stores one row', async (t) => {
      const backend = await backendFor(t, { dialect });
      const seeded = await seedConference(backend.store);
      const first = await postRegistration(backend, seeded.apiKey, person(1), key('order-1'));
      assert.equal(first.status, 201);
      assert.equal(first.headers.get('idempotent-replayed'), null);
      const again = await postRegistration(backend, seeded.apiKey, person(1), key('order-1'));
      assert.equal(again.status, 201);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      assert.deepEqual(again.body, first.body);
      assert.equal(await countRegistrations(backend, seeded.conferenceId), 1);
    });

    it('counts a body with its keys in another order as the same body', async (t) => {
      const backend = await backendFor(t, { dialect });
      const seeded = await seedConference(backend.store);
      const body = person(1);
      const reordered = Object.fromEntries(Object.entries(body).reverse());
      const first = await postRegistration(backend, seeded.apiKey, body, key('order-1'));
      const again = await postRegistration(backend, seeded.apiKey, JSON.stringify(reordered, null, 2), key('order-1'));
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      assert.deepEqual(again.body, first.body);
    });

    it('answers 422 idempotency_key_reused for the same key with another body', async (t) => {
      const backend = await backendFor(t, { dialect });
      const seeded = await seedConference(backend.store);
      assert.equal((await postRegistration(backend, seeded.apiKey, person(1), key('order-1'))).status, 201);
      assertError(await postRegistration(backend, seeded.apiKey, person(2), key('order-1')), 'idempotency_key_reused');
      assert.equal(await countRegistrations(backend, seeded.conferenceId), 1);
    });

    it('replays a refusal (4xx) too', async (t) => {
      const backend = await backendFor(t, { dialect });
      const seeded = await seedConference(backend.store, { capacity: 0 });
      const first = await postRegistration(backend, seeded.apiKey, person(1), key('order-1'));
      assertError(first, 'event_full');
      const again = await postRegistration(backend, seeded.apiKey, person(1), key('order-1'));
      assertError(again, 'event_full');
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      assert.deepEqual(again.body, first.body);
    });

    it('answers 409 idempotency_key_in_use while the first request is still in flight', async (t) => {
      const clock = fakeClock('2027-01-10T12:00:00Z');
      const backend = await backendFor(t, { dialect, clock: clock.now });
      const seeded = await seedConference(backend.store, {}, { now: clock.now() });
      await claimInFlight(backend, seeded.keyId, 'order-1', person(1), clock.now());
      const response = await postRegistration(backend, seeded.apiKey, person(1), key('order-1'));
      assertError(response, 'idempotency_key_in_use');
      assert.ok(Number(response.headers.get('retry-after')) > 0);
      // In the body too: a proxy's client may not pass the header on.
      assert.equal(response.body.error.details.retry_after_seconds, Number(response.headers.get('retry-after')));
      assert.equal(await countRegistrations(backend, seeded.conferenceId), 0);
    });

    it('replays a 201 with its Location header', async (t) => {
      const backend = await backendFor(t, { dialect });
      const seeded = await seedConference(backend.store);
      const first = await postRegistration(backend, seeded.apiKey, person(1), key('order-1'));
      const again = await postRegistration(backend, seeded.apiKey, person(1), key('order-1'));
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      assert.ok(first.headers.get('location')?.endsWith(`/registrations/registrations/${first.body.data.id}`));
      assert.equal(again.headers.get('location'), first.headers.get('location'));
    });

    it('answers 422 idempotency_key_reused for a reused key even when the other body is invalid', async (t) => {
      const backend = await backendFor(t, { dialect });
      const seeded = await seedConference(backend.store);
      assert.equal((await postRegistration(backend, seeded.apiKey, person(1), key('order-1'))).status, 201);
      const invalid = { ...person(1), unknownField: 1 };
      assertError(await postRegistration(backend, seeded.apiKey, invalid, key('order-1')), 'idempotency_key_reused');
    });

    it('keeps and replays a 400 answer for its key', async (t) => {
      const backend = await backendFor(t, { dialect });
      const seeded = await seedConference(backend.store);
      const invalid = { ...person(1), email: 'not an address' };
      const first = await postRegistration(backend, seeded.apiKey, invalid, key('order-1'));
      assertError(first, 'validation_failed');
      const again = await postRegistration(backend, seeded.apiKey, invalid, key('order-1'));
      assert.equal(again.status, 400);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      assert.deepEqual(again.body, first.body);
      // The corrected body needs a new key: the old one answers for the old body.
      assertError(await postRegistration(backend, seeded.apiKey, person(1), key('order-1')), 'idempotency_key_reused');
      assert.equal((await postRegistration(backend, seeded.apiKey, person(1), key('order-2'))).status, 201);
    });

    it('takes over a claim abandoned by a process that died, after a minute', async (t) => {
      const clock = fakeClock('2027-01-10T12:00:00Z');
      const backend = await backendFor(t, { dialect, clock: clock.now });
      const seeded = await seedConference(backend.store, {}, { now: clock.now() });
      await claimInFlight(backend, seeded.keyId, 'order-1', person(1), clock.now());
      clock.set('2027-01-10T12:01:00Z');
      assert.equal((await postRegistration(backend, seeded.apiKey, person(1), key('order-1'))).status, 201);
    });

    it('forgets a key after 24 hours', async (t) => {
      const clock = fakeClock('2027-01-10T12:00:00Z');
      const backend = await backendFor(t, { dialect, clock: clock.now });
      const seeded = await seedConference(backend.store, {}, { now: clock.now() });
      assert.equal((await postRegistration(backend, seeded.apiKey, person(1), key('order-1'))).status, 201);
      clock.set('2027-01-11T11:59:59Z');
      assert.equal((await postRegistration(backend, seeded.apiKey, person(1), key('order-1'))).headers.get('idempotent-replayed'), 'true');
      clock.set('2027-01-11T12:00:00Z');
      const late = await postRegistration(backend, seeded.apiKey, person(1), key('order-1'));
      assertError(late, 'duplicate_registration');
      assert.equal(late.headers.get('idempotent-replayed'), null);
    });

    it('accepts a key of 255 characters and refuses a longer one with 400', async (t) => {
      const backend = await backendFor(t, { dialect });
      const seeded = await seedConference(backend.store);
      assert.equal((await postRegistration(backend, seeded.apiKey, person(1), key('k'.repeat(255)))).status, 201);
      const fields = assertFieldErrors(await postRegistration(backend, seeded.apiKey, person(2), key('k'.repeat(256))));
      assert.deepEqual(Object.keys(fields), ['Idempotency-Key']);
      assert.equal(await countRegistrations(backend, seeded.conferenceId), 1);
    });

    it('scopes keys to the API key: the same key string under two API keys makes two registrations', async (t) => {
      const backend = await backendFor(t, { dialect });
      const seeded = await seedConference(backend.store);
      const second = await createApiKey(
        backend.store.db,
        { conferenceId: seeded.conferenceId, scopes: ['registrations:write'] },
        new Date(),
      );
      const a = await postRegistration(backend, seeded.apiKey, person(1), key('order-1'));
      const b = await postRegistration(backend, second.key, person(2), key('order-1'));
      assert.equal(a.status, 201);
      assert.equal(b.status, 201);
      assert.equal(b.headers.get('idempotent-replayed'), null);
      assert.notEqual(a.body.data.id, b.body.data.id);
      assert.equal(await countRegistrations(backend, seeded.conferenceId), 2);
    });
  });
}
