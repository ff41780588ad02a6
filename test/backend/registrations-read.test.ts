import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RegistrationList, RegistrationResponse } from '../../contract/index.js';
import { DIALECTS } from '../helpers/database.js';
import { person, postRegistration, seedConference, type TestBackend } from '../helpers/backend.js';
import { assertError, assertFieldErrors, backendFor, fakeClock, getWithKey } from './support.js';
import { strict } from '../helpers/strict-contract.js';

async function register(backend: TestBackend, apiKey: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 0; n < count; n++) ids.push((await postRegistration(backend, apiKey, person(n))).body.data.id);
  return ids;
}

/** Follows next_cursor to the end; returns the ids of every page. */
async function walk(backend: TestBackend, apiKey: string, limit: number): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const query: string = `?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const response = await getWithKey(backend, apiKey, `/registrations/registrations${query}`);
    assert.equal(response.status, 200);
    const page = strict(RegistrationList).parse(response.body);
    pages.push(page.data.map((r) => r.id));
    cursor = page.next_cursor;
  } while (cursor);
  return pages;
}

for (const { dialect, skip } of DIALECTS) {
  describe(`GET /registrations/registrations on ${dialect}`, { skip }, () => {
    it('walks every registration page by page, in creation order, without gaps or repeats', async (t) => {
      const clock = fakeClock('2027-01-10T12:00:00Z');
      const backend = await backendFor(t, { dialect, clock: clock.now });
      const seeded = await seedConference(backend.store, {}, { now: clock.now() });
      const ids: string[] = [];
      for (let minute = 0; minute < 7; minute++) {
        clock.set(`2027-01-10T12:0${minute}:00Z`);
        ids.push((await postRegistration(backend, seeded.apiKey, person(minute))).body.data.id);
      }
      const pages = await walk(backend, seeded.apiKey, 3);
      assert.deepEqual(
        pages.map((p) => p.length),
        [3, 3, 1],
      );
      assert.deepEqual(pages.flat(), ids);
    });

    it('keeps pages whole when many registrations share one timestamp', async (t) => {
      const backend = await backendFor(t, { dialect, clock: fakeClock('2027-01-10T12:00:00Z').now });
      const seeded = await seedConference(backend.store);
      const ids = await register(backend, seeded.apiKey, 10);
      const listed = (await walk(backend, seeded.apiKey, 4)).flat();
      assert.equal(listed.length, 10);
      assert.deepEqual([...listed].sort(), [...ids].sort());
    });

    it('answers an empty list with a null cursor when there is nothing yet', async (t) => {
      const backend = await backendFor(t, { dialect });
      const seeded = await seedConference(backend.store);
      const response = await getWithKey(backend, seeded.apiKey, '/registrations/registrations');
      assert.deepEqual(response.body, { data: [], next_cursor: null });
    });

    it('returns 50 at most by default', async (t) => {
      const backend = await backendFor(t, { dialect });
      const seeded = await seedConference(backend.store);
      await register(backend, seeded.apiKey, 51);
      const response = await getWithKey(backend, seeded.apiKey, '/registrations/registrations');
      assert.equal(response.body.data.length, 50);
      assert.equal(typeof response.body.next_cursor, 'string');
    });

    it('lists only the registrations of the key’s own conference', async (t) => {
      const backend = await backendFor(t, { dialect });
      const mine = await seedConference(backend.store);
      const theirs = await seedConference(backend.store);
      const ids = await register(backend, mine.apiKey, 2);
      await register(backend, theirs.apiKey, 3);
      assert.deepEqual((await walk(backend, mine.apiKey, 10)).flat().sort(), ids.sort());
    });

    for (const limit of ['0', '201', '-1', '1.5', 'ten']) {
      it(`refuses limit=${limit} with 400 naming limit`, async (t) => {
        const backend = await backendFor(t, { dialect });
        const seeded = await seedConference(backend.store);
        const fields = assertFieldErrors(await getWithKey(backend, seeded.apiKey, `/registrations/registrations?limit=${limit}`));
        assert.deepEqual(Object.keys(fields), ['limit']);
      });
    }

    for (const cursor of ['not-a-cursor', Buffer.from('{"a":1}').toString('base64url'), 'x'.repeat(600)]) {
      it(`refuses a cursor it did not give out (${cursor.slice(0, 16)}) with 400 naming cursor`, async (t) => {
        const backend = await backendFor(t, { dialect });
        const seeded = await seedConference(backend.store);
        const fields = assertFieldErrors(await getWithKey(backend, seeded.apiKey, `/registrations/registrations?cursor=${cursor}`));
        assert.deepEqual(Object.keys(fields), ['cursor']);
      });
    }
  });

  describe(`GET /registrations/registrations/:id on ${dialect}`, { skip }, () => {
    it('answers the registration as it was created', async (t) => {
      const backend = await backendFor(t, { dialect });
      const seeded = await seedConference(backend.store);
      const created = await postRegistration(backend, seeded.apiKey, person(1, { customFields: { dietary: 'Vegan' } }));
      const response = await getWithKey(backend, seeded.apiKey, `/registrations/registrations/${created.body.data.id}`);
      assert.equal(response.status, 200);
      assert.deepEqual(strict(RegistrationResponse).parse(response.body), created.body);
    });

    it('answers 404 not_found for another conference’s registration', async (t) => {
      const backend = await backendFor(t, { dialect });
      const mine = await seedConference(backend.store);
      const theirs = await seedConference(backend.store);
      const created = await postRegistration(backend, theirs.apiKey, person(1));
      assertError(await getWithKey(backend, mine.apiKey, `/registrations/registrations/${created.body.data.id}`), 'not_found');
    });

    it('answers 404 not_found for an id that does not exist', async (t) => {
      const backend = await backendFor(t, { dialect });
      const seeded = await seedConference(backend.store);
      assertError(await getWithKey(backend, seeded.apiKey, '/registrations/registrations/r_nothing'), 'not_found');
    });
  });
}
