import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { updateConference } from '../../backend/services/conferences.js';
import { person, seedConference } from '../helpers/backend.js';
import type { ProxyConfig } from '../../proxy-server/app.js';
import { call, postJson, proxySuite, runJsonp, scanEachTestForLeaks, startProxy, startStub, type Answer } from './support.js';
import { asScript, pubJsonpUrl, pubPerson, rawRequest, resourceUrl, SEED_FIELDS } from './pub-resource-support.js';

/** Seed 004's status table (SPEC §3b), a test per row, plus 413 and 429, which it lacks. */
describe('seed 004’s resource: /api/2012-02-01/pub/resources/events/{EventID}/registrations/', () => {
  scanEachTestForLeaks();
  const suite = proxySuite();
  /** Conference ids are unique per backend: each fixture takes the next. */
  let nextId = 1000;

  async function fixture(overrides: Record<string, unknown> = {}, config: Partial<ProxyConfig> = {}, clock?: () => Date) {
    const eventId = String(nextId++);
    const seeded = await seedConference(suite.backend.store, { id: Number(eventId), fields: SEED_FIELDS, ...overrides });
    const proxy = suite.track(
      await startProxy({ backendUrl: suite.backend.url, apiKey: seeded.apiKey, config, ...(clock ? { clock } : {}) }),
    );
    return { ...seeded, proxy, eventId, url: resourceUrl(proxy.url, eventId) };
  }

  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    postJson(url, body, { accept: 'application/json', ...headers });

  /** Seed 004's error object, and nothing else. */
  function assertError(answer: Answer, status: number, Code: string, extra: Record<string, unknown> = {}) {
    assert.equal(answer.status, status, answer.text);
    assert.equal(answer.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal(answer.headers.get('cache-control'), 'no-store');
    assert.deepEqual(Object.keys(answer.json).sort(), ['Code', 'Message', 'Success', ...Object.keys(extra)].sort());
    assert.equal(answer.json.Success, false);
    assert.equal(answer.json.Code, Code);
    assert.match(answer.json.Message, /\S/);
    for (const [key, value] of Object.entries(extra)) if (value !== undefined) assert.deepEqual(answer.json[key], value);
  }

  async function registrations(apiKey: string): Promise<any[]> {
    const list = await fetch(`${suite.backend.api}/registrations/registrations`, { headers: { 'x-api-key': apiKey } });
    return ((await list.json()) as { data: any[] }).data;
  }

  describe('200 OK', () => {
    it('stores every Contact field, Employment and Comments in customFields, with the region, and echoes them in seed 004’s shape', async () => {
      const { url, apiKey } = await fixture();
      const body = pubPerson(
        1,
        {
          PhoneWork: '+64 4 123 4567',
          PhoneHome: '+64 4 987 6543',
          Mobile: '+64 21 1234 5678',
          Employment: { OrganisationName: 'Acme', Position: 'GM', Department: 'HR', BusinessUnit: 'TWI' },
          SpecialDiet: 'Vegetarian',
          Disability: 'Wheelchair',
          Code: 'M-1',
        },
        { Comments: 'Hello' },
      );
      const answer = await post(`${url.replace('region=nz', 'region=AU')}`, body);
      assert.equal(answer.status, 200);
      assert.equal(answer.text, JSON.stringify(body));
      assert.equal('Success' in answer.json, false);
      const [stored] = await registrations(apiKey);
      assert.equal(stored.region, 'au');
      assert.deepEqual(stored.customFields, {
        phoneWork: '+64 4 123 4567',
        phoneHome: '+64 4 987 6543',
        mobile: '+64 21 1234 5678',
        organisationName: 'Acme',
        position: 'GM',
        department: 'HR',
        businessUnit: 'TWI',
        specialDiet: 'Vegetarian',
        disability: 'Wheelchair',
        code: 'M-1',
        comments: 'Hello',
      });
    });

    it('takes the first free ticket type that is available', async () => {
      const { url, apiKey } = await fixture({
        ticket_types: [
          { id: 'paid', name: 'Paid', prices: { 'early-bird': 100 } },
          { id: 'gone', name: 'Gone', capacity: 0, prices: { 'early-bird': 0 } },
          { id: 'community', name: 'Community', prices: { 'early-bird': 0 } },
        ],
      });
      assert.equal((await post(url, pubPerson(2))).status, 200);
      assert.equal((await registrations(apiKey))[0].ticketTypeId, 'community');
    });

    it('makes a retried POST with the same Idempotency-Key one registration', async () => {
      const { url, apiKey } = await fixture();
      const first = await post(url, pubPerson(3), { 'idempotency-key': 'k-3' });
      const second = await post(url, pubPerson(3), { 'idempotency-key': 'k-3' });
      assert.equal(first.status, 200);
      assert.equal(second.status, 200);
      assert.equal(second.text, first.text);
      assert.equal((await registrations(apiKey)).length, 1);
    });

    it('makes a retried JSONP script with the same SubmissionId one registration', async () => {
      const { proxy, eventId, apiKey } = await fixture();
      const jsonData = JSON.stringify(pubPerson(4, {}, { SubmissionId: 's-4' }));
      const first = runJsonp((await call(pubJsonpUrl(proxy.url, eventId, jsonData), asScript)).text, 'myRegisterCallback');
      const second = runJsonp((await call(pubJsonpUrl(proxy.url, eventId, jsonData), asScript)).text, 'myRegisterCallback');
      assert.deepEqual(first, pubPerson(4));
      assert.deepEqual(second, first);
      assert.equal((await registrations(apiKey)).length, 1);
    });
  });

  describe('400 Bad Request', () => {
    it('refuses a body that is not JSON', async () => {
      const { url } = await fixture();
      const answer = await call(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: '{"Contact":',
      });
      assertError(answer, 400, 'InvalidJson');
    });

    it('refuses a Contact field that is too long, naming it, before reaching the backend', async () => {
      const { url, proxy } = await fixture();
      const calls = proxy.upstreamCalls();
      const answer = await post(
        url,
        pubPerson(5, { PhoneWork: '1'.repeat(33), Employment: { Position: 'x'.repeat(65) } }, { Comments: 'c'.repeat(257) }),
      );
      assertError(answer, 400, 'ValidationFailed', {
        Fields: {
          'Contact.PhoneWork': ['Must be at most 32 characters'],
          'Contact.Employment.Position': ['Must be at most 64 characters'],
          Comments: ['Must be at most 256 characters'],
        },
      });
      // The config read (the event check) is the only backend call.
      assert.equal(proxy.upstreamCalls() - calls, 1);
    });

    it('refuses a Contact without FirstName, and an invalid Email', async () => {
      const { url } = await fixture();
      const answer = await post(url, { Contact: { LastName: 'Everett', Email: 'nope' } });
      assertError(answer, 400, 'ValidationFailed', {
        Fields: { 'Contact.FirstName': ['Required'], 'Contact.Email': ['Must be a valid e-mail address'] },
      });
    });

    it('refuses an unknown key, at the top and in Contact', async () => {
      const { url } = await fixture();
      const answer = await post(url, pubPerson(6, { Twitter: '@julie' }, { Extra: 1 }));
      assertError(answer, 400, 'ValidationFailed', { Fields: { 'Contact.Twitter': ['Unknown field'], Extra: ['Unknown field'] } });
    });

    it('refuses a field the conference has not configured (the backend’s answer), named by its seed-004 path', async () => {
      const { url, apiKey } = await fixture({ fields: SEED_FIELDS.filter((field) => field.key !== 'disability') });
      const answer = await post(url, pubPerson(7, { Disability: 'Wheelchair' }));
      assertError(answer, 400, 'ValidationFailed', { Fields: { 'Contact.Disability': ['Unknown field'] } });
      assert.deepEqual(await registrations(apiKey), []);
    });

    it('maps the backend’s identity-field errors back to Contact paths', async () => {
      const { url } = await fixture();
      // A text-direction control: the contract's names refuse it in the backend.
      const answer = await post(url, pubPerson(8, { FirstName: 'Ju\u202elie' }));
      assertError(answer, 400, 'ValidationFailed', { Fields: { 'Contact.FirstName': ['Must not contain text-direction controls'] } });
    });

    for (const [name, query, message] of [
      ['a missing region', '', 'Required'],
      ['a bad region', 'region=n1', 'Must be a region code such as nz'],
      ['a region given twice', 'region=nz&region=au', undefined],
    ] as const) {
      it(`refuses ${name}`, async () => {
        const { proxy, eventId } = await fixture();
        const answer = await post(resourceUrl(proxy.url, eventId, query), pubPerson(9));
        assertError(answer, 400, 'ValidationFailed', { Fields: undefined });
        assert.deepEqual(Object.keys(answer.json.Fields), ['region']);
        if (message) assert.deepEqual(answer.json.Fields.region, [message]);
      });
    }

    it('refuses a missing region in the JSONP form with a 200 script', async () => {
      const { proxy, eventId } = await fixture();
      const query = new URLSearchParams({ method: 'post', format: 'json', callback: 'cb', jsonData: JSON.stringify(pubPerson(10)) });
      const answer = await call(resourceUrl(proxy.url, eventId, query.toString()), asScript);
      assert.equal(answer.status, 200);
      assert.deepEqual(runJsonp(answer.text, 'cb'), {
        Success: false,
        Code: 'ValidationFailed',
        Message: 'Some fields are not valid',
        Fields: { region: ['Required'] },
      });
    });

    it('refuses jsonData that is not JSON without quoting it', async () => {
      const { proxy, eventId } = await fixture();
      const answer = await call(pubJsonpUrl(proxy.url, eventId, '{"Contact":{"FirstName":"Secretname"'), asScript);
      assert.equal(runJsonp(answer.text, 'myRegisterCallback').Code, 'InvalidJson');
      assert.ok(!answer.text.includes('Secretname'));
    });

    it('answers a bad callback with a 400 JSON error that does not echo it', async () => {
      const { proxy, eventId } = await fixture();
      const answer = await call(pubJsonpUrl(proxy.url, eventId, JSON.stringify(pubPerson(11)), { callback: 'alert(1)//' }), asScript);
      assertError(answer, 400, 'InvalidCallback');
      assert.ok(!answer.text.includes('alert'));
    });
  });

  describe('404 Not Found', () => {
    it('answers an EventID other than the proxy’s conference with EventNotFound, POST and JSONP', async () => {
      const { proxy, eventId } = await fixture();
      assertError(await post(resourceUrl(proxy.url, `${eventId}9`), pubPerson(12)), 404, 'EventNotFound');
      const payload = runJsonp(
        (await call(pubJsonpUrl(proxy.url, '4711', JSON.stringify(pubPerson(12))), asScript)).text,
        'myRegisterCallback',
      );
      assert.equal(payload.Code, 'EventNotFound');
    });

    it('answers a conference with public registration off with RegistrationClosed', async () => {
      const { url } = await fixture({ public_registration_enabled: false });
      assertError(await post(url, pubPerson(13)), 404, 'RegistrationClosed');
    });

    it('relays the backend’s registration_closed (the config was read while it was open)', async () => {
      const fixed = new Date();
      const { url, conferenceId, proxy } = await fixture({}, { configCacheMs: 60_000 }, () => fixed);
      await call(`${proxy.url}/api/registration`);
      await updateConference(suite.backend.store.db, conferenceId, { registration_closes_at: '2001-01-01T00:00:00Z' }, new Date());
      assertError(await post(url, pubPerson(14)), 404, 'RegistrationClosed');
    });
  });

  describe('404 and 500 for what the backend says of the conference and the key', () => {
    it('answers a conference that is not live with 404 ConferenceNotLive', async () => {
      const { url } = await fixture({ status: 'draft' });
      assertError(await post(url, pubPerson(41)), 404, 'ConferenceNotLive');
    });

    it('answers a proxy key without the write scope with 500 ServiceUnavailable, logged for the operator', async () => {
      const eventId = String(nextId++);
      const seeded = await seedConference(
        suite.backend.store,
        { id: Number(eventId), fields: SEED_FIELDS },
        { scopes: ['registrations:read'] },
      );
      const proxy = suite.track(await startProxy({ backendUrl: suite.backend.url, apiKey: seeded.apiKey }));
      assertError(await post(resourceUrl(proxy.url, eventId), pubPerson(42)), 500, 'ServiceUnavailable');
      assert.ok(proxy.logs.some((line) => line.includes('the backend refused the API key')));
    });
  });

  describe('405 Method Not Allowed', () => {
    it('answers an event without a free ticket type with PaymentRequired', async () => {
      const { url, apiKey } = await fixture({ ticket_types: [{ id: 'standard', name: 'Standard', prices: { 'early-bird': 14900 } }] });
      const answer = await post(url, pubPerson(15));
      assertError(answer, 405, 'PaymentRequired');
      assert.match(answer.json.Message, /need payment/);
      assert.deepEqual(await registrations(apiKey), []);
    });

    it('answers a GET without method=post with Allow: POST', async () => {
      const { url } = await fixture();
      const answer = await call(url, { headers: { accept: 'application/json' } });
      assertError(answer, 405, 'MethodNotAllowed');
      assert.equal(answer.headers.get('allow'), 'POST');
    });

    it('answers a JSONP GET with another method (or none) with a MethodNotAllowed payload', async () => {
      const { proxy, eventId } = await fixture();
      for (const extra of [{ method: 'delete' }, { method: 'get' }]) {
        const answer = await call(pubJsonpUrl(proxy.url, eventId, JSON.stringify(pubPerson(16)), extra), asScript);
        assert.equal(answer.status, 200);
        assert.equal(runJsonp(answer.text, 'myRegisterCallback').Code, 'MethodNotAllowed');
      }
      const noMethod = await call(`${resourceUrl(proxy.url, eventId)}&callback=cb`, asScript);
      assert.equal(runJsonp(noMethod.text, 'cb').Code, 'MethodNotAllowed');
    });

    for (const method of ['PUT', 'DELETE', 'PATCH', 'HEAD']) {
      it(`answers ${method}, even on the JSONP URL, with Allow: POST and creates nothing`, async () => {
        const { proxy, eventId, apiKey } = await fixture();
        const answer = await call(pubJsonpUrl(proxy.url, eventId, JSON.stringify(pubPerson(17))), {
          method,
          headers: { ...asScript.headers, 'content-type': 'application/json' },
          ...(method === 'HEAD' ? {} : { body: JSON.stringify(pubPerson(17)) }),
        });
        assert.equal(answer.status, 405);
        assert.equal(answer.headers.get('allow'), 'POST');
        if (method !== 'HEAD') assertError(answer, 405, 'MethodNotAllowed');
        assert.deepEqual(await registrations(apiKey), []);
      });
    }
  });

  describe('406 Not Acceptable', () => {
    it('refuses an Accept header that excludes JSON', async () => {
      const { url } = await fixture();
      for (const accept of ['text/html', 'application/xml', 'application/json;q=0']) {
        assertError(await postJson(url, pubPerson(18), { accept }), 406, 'NotAcceptable');
      }
    });

    it('refuses a POST without any Accept header or format=', async () => {
      const { url } = await fixture();
      const body = JSON.stringify(pubPerson(19));
      const answer = await rawRequest(url, 'POST', { 'Content-Type': 'application/json', 'Content-Length': String(body.length) }, body);
      assert.equal(answer.status, 406);
      assert.equal(JSON.parse(answer.text).Code, 'NotAcceptable');
    });

    it('takes format=json in place of an Accept header, and refuses format=xml', async () => {
      const { proxy, eventId } = await fixture();
      const body = JSON.stringify(pubPerson(20));
      const headers = { 'Content-Type': 'application/json', 'Content-Length': String(body.length) };
      assert.equal((await rawRequest(resourceUrl(proxy.url, eventId, 'region=nz&format=json'), 'POST', headers, body)).status, 200);
      const xml = await rawRequest(
        resourceUrl(proxy.url, eventId, 'region=nz&format=xml'),
        'POST',
        { ...headers, Accept: 'application/json' },
        body,
      );
      assert.equal(xml.status, 406);
    });

    it('takes Accept: */* (what fetch sends)', async () => {
      const { url } = await fixture();
      assert.equal((await postJson(url, pubPerson(21), { accept: '*/*' })).status, 200);
    });

    it('needs format=json in the JSONP form', async () => {
      const { proxy, eventId } = await fixture();
      for (const extra of [{ format: 'xml' }, { format: '' }]) {
        const answer = await call(pubJsonpUrl(proxy.url, eventId, JSON.stringify(pubPerson(22)), extra), asScript);
        assert.equal(runJsonp(answer.text, 'myRegisterCallback').Code, 'NotAcceptable');
      }
    });
  });

  describe('409 Conflict', () => {
    it('answers a duplicate with DuplicateRegistration and seed 004’s message', async () => {
      const { url } = await fixture();
      assert.equal((await post(url, pubPerson(''))).status, 200);
      assertError(await post(url, pubPerson('')), 409, 'DuplicateRegistration');
      const again = await post(url, pubPerson(''));
      assert.equal(again.json.Message, 'Julie Everett (julie.everett@example.org) is already registered for this event');
    });

    it('answers a full event (the backend’s event_full) with EventFull', async () => {
      const { url } = await fixture({ capacity: 1 });
      assert.equal((await post(url, pubPerson(23))).status, 200);
      assertError(await post(url, pubPerson(24)), 409, 'EventFull');
    });

    it('answers a sold-out free ticket (the backend’s ticket_sold_out) with EventFull too', async () => {
      const { url } = await fixture({
        ticket_types: [
          { id: 'free', name: 'Free pass', capacity: 1, prices: { 'early-bird': 0 } },
          { id: 'standard', name: 'Standard', prices: { 'early-bird': 14900 } },
        ],
      });
      assert.equal((await post(url, pubPerson(25))).status, 200);
      const answer = await post(url, pubPerson(26));
      assertError(answer, 409, 'EventFull');
      assert.equal(answer.json.Message, 'This event is full and is no longer accepting registrations');
    });
  });

  describe('415 Unsupported Media Type', () => {
    it('refuses a POST without a Content-Type, or with one that is not JSON', async () => {
      const { url, apiKey } = await fixture();
      const body = JSON.stringify(pubPerson(27));
      assertError(
        await call(url, { method: 'POST', headers: { accept: 'application/json' }, body: new Blob([body]) }),
        415,
        'UnsupportedMediaType',
      );
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
        assertError(
          await call(url, { method: 'POST', headers: { accept: 'application/json', 'content-type': type }, body }),
          415,
          'UnsupportedMediaType',
        );
      }
      assert.deepEqual(await registrations(apiKey), []);
    });
  });

  describe('422 Unprocessable Entity', () => {
    it('answers an event with no open pricing phase with PricingClosed', async () => {
      const { url } = await fixture({
        phases: [{ id: 'early-bird', name: 'Early bird', starts_at: '2000-01-01T00:00:00Z', ends_at: '2000-02-01T00:00:00Z' }],
      });
      assertError(await post(url, pubPerson(28)), 422, 'PricingClosed');
    });

    it('answers an Idempotency-Key reused with another body with IdempotencyKeyReused', async () => {
      const { url } = await fixture();
      assert.equal((await post(url, pubPerson(29), { 'idempotency-key': 'k-29' })).status, 200);
      assertError(await post(url, pubPerson(30), { 'idempotency-key': 'k-29' }), 422, 'IdempotencyKeyReused');
    });
  });

  describe('500 Internal Server Error', () => {
    it('answers a backend that answers garbage with 500 UpstreamUnavailable, logged with codes only', async () => {
      const { apiKey, eventId } = await fixture();
      // The real backend's config, and nonsense for the create call.
      const stub = await startStub((req, res) => {
        if (req.method === 'GET') {
          void fetch(`${suite.backend.url}${req.url}`, { headers: { 'x-api-key': apiKey } }).then(async (upstream) => {
            res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(await upstream.text());
          });
        } else res.writeHead(200, { 'content-type': 'text/html' }).end('<html>oops</html>');
      });
      const proxy = await startProxy({ backendUrl: stub.url, apiKey });
      try {
        const answer = await post(resourceUrl(proxy.url, eventId), pubPerson(31));
        assertError(answer, 500, 'UpstreamUnavailable');
        assert.ok(proxy.logs.some((line) => line.includes('"upstreamCode":"invalid_response"')));
        for (const line of proxy.logs) assert.ok(!line.includes('Everett31'), line);
      } finally {
        await proxy.close();
        await stub.close();
      }
    });
  });

  describe('413 and 429, which seed 004’s table lacks', () => {
    it('refuses jsonData over 8 KiB with PayloadTooLarge', async () => {
      const { proxy, eventId } = await fixture();
      const answer = await call(
        pubJsonpUrl(proxy.url, eventId, JSON.stringify(pubPerson(32, {}, { Comments: 'x'.repeat(8 * 1024) }))),
        asScript,
      );
      assert.equal(runJsonp(answer.text, 'myRegisterCallback').Code, 'PayloadTooLarge');
    });

    it('answers the N+1th submit with 429 RateLimited, Retry-After and RetryAfterSeconds, POST and JSONP', async () => {
      const { url, proxy, eventId } = await fixture({}, { rateLimit: { limit: 1, windowMs: 60_000 } });
      assert.equal((await post(url, pubPerson(33))).status, 200);
      const refused = await post(url, pubPerson(34));
      assertError(refused, 429, 'RateLimited', { RetryAfterSeconds: undefined });
      assert.equal(Number(refused.headers.get('retry-after')), refused.json.RetryAfterSeconds);
      assert.ok(refused.json.RetryAfterSeconds >= 1);
      const jsonp = await call(pubJsonpUrl(proxy.url, eventId, JSON.stringify(pubPerson(35))), asScript);
      assert.equal(jsonp.status, 200);
      const payload = runJsonp(jsonp.text, 'myRegisterCallback');
      assert.equal(payload.Code, 'RateLimited');
      assert.ok(payload.RetryAfterSeconds >= 1);
    });

    it('shares one budget per client with /api/registration', async () => {
      const { url, proxy } = await fixture({}, { rateLimit: { limit: 1, windowMs: 60_000 } });
      assert.equal((await postJson(`${proxy.url}/api/registration`, person(36))).status, 201);
      assertError(await post(url, pubPerson(37)), 429, 'RateLimited', { RetryAfterSeconds: undefined });
    });
  });

  describe('CORS, as on /api/registration', () => {
    it('answers the preflight and lets an allowed origin read the answer; a look-alike gets no CORS headers', async () => {
      const { url } = await fixture();
      const preflight = await call(url, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://www.example.org',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://www.example.org');
      assert.equal(preflight.headers.get('access-control-allow-methods'), 'GET, POST');
      const allowed = await post(url, pubPerson(39), { origin: 'https://www.example.org' });
      assert.equal(allowed.status, 200);
      assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://www.example.org');
      const refused = await post(url, pubPerson(40), { origin: 'https://www.example.org.evil.io' });
      assert.equal(refused.headers.get('access-control-allow-origin'), null);
      assert.match(refused.headers.get('vary') ?? '', /Origin/);
    });
  });

  describe('the JSONP form', () => {
    for (const [name, headers] of [
      ['a foreign Referer', { referer: 'https://evil.example/page', 'sec-fetch-dest': 'script' }],
      ['a look-alike Referer', { referer: 'https://www.example.org.evil.io/page', 'sec-fetch-dest': 'script' }],
      ['no Referer', { 'sec-fetch-dest': 'script' }],
      ['Sec-Fetch-Dest: iframe', { referer: 'https://www.example.org/x', 'sec-fetch-dest': 'iframe' }],
    ] as const) {
      it(`refuses ${name} with a Success: false payload, before reaching the backend`, async () => {
        const { proxy, eventId } = await fixture();
        const answer = await call(pubJsonpUrl(proxy.url, eventId, JSON.stringify(pubPerson(38))), { headers });
        assert.equal(answer.status, 200);
        assert.equal(answer.headers.get('referrer-policy'), 'no-referrer');
        assert.equal(runJsonp(answer.text, 'myRegisterCallback').Success, false);
        assert.equal(proxy.upstreamCalls(), 0);
      });
    }

    it('writes no log line that holds personal data or the query string', async () => {
      const { proxy, eventId, url } = await fixture();
      const marker = 'Zyxwvutsrq';
      await call(pubJsonpUrl(proxy.url, eventId, JSON.stringify(pubPerson(marker))), asScript);
      await call(pubJsonpUrl(proxy.url, eventId, JSON.stringify(pubPerson(marker))), asScript);
      await call(pubJsonpUrl(proxy.url, eventId, JSON.stringify(pubPerson(marker, { Email: 'bad' }))), asScript);
      await post(url, pubPerson(`${marker}2`, { Mobile: '1'.repeat(40) }));
      assert.ok(proxy.logs.length >= 4);
      for (const line of proxy.logs) {
        assert.ok(!line.includes(marker), line);
        assert.ok(!line.includes('jsonData'), line);
        assert.ok(!line.includes('region=nz'), line);
      }
    });
  });
});
