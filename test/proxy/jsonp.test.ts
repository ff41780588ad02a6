import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { person, seedConference } from '../helpers/backend.js';
import { call, jsonpSubmitUrl, scanEachTestForLeaks, proxySuite, runJsonp, startProxy } from './support.js';

const PAGE = 'https://www.example.org/register.html';

describe('JSONP on /api/registration', () => {
  scanEachTestForLeaks();
  const suite = proxySuite();

  async function fixture(overrides: Record<string, unknown> = {}) {
    const seeded = await seedConference(suite.backend.store, overrides);
    const proxy = await startProxy({ backendUrl: suite.backend.url, apiKey: seeded.apiKey });
    suite.track(proxy);
    return { ...seeded, proxy };
  }

  /** A JSONP submit as a browser's script tag on an allowed page sends it. */
  const asScript = { headers: { referer: PAGE, 'sec-fetch-dest': 'script' } };

  function assertScriptHeaders(answer: { status: number; headers: Headers }) {
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('content-type'), 'application/javascript; charset=utf-8');
    assert.equal(answer.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(answer.headers.get('cache-control'), 'no-store');
    assert.equal(answer.headers.get('referrer-policy'), 'no-referrer');
  }

  describe('GET ?callback= (the config)', () => {
    it('calls the callback with { data: Config } behind the /**/ typeof guard', async () => {
      const { proxy, conferenceId } = await fixture();
      const answer = await call(`${proxy.url}/api/registration?callback=onConfera`);
      assertScriptHeaders(answer);
      assert.ok(answer.text.startsWith("/**/ typeof onConfera === 'function' && onConfera({"));
      assert.ok(answer.text.endsWith(');'));
      assert.equal(runJsonp(answer.text).data.conference.id, conferenceId);
    });

    it('accepts a dotted callback such as jQuery’s', async () => {
      const { proxy } = await fixture();
      const answer = await call(`${proxy.url}/api/registration?callback=jQuery_123.cb$`);
      assert.ok(runJsonp(answer.text, 'jQuery_123.cb$').data.conference);
    });

    it('escapes U+2028 and U+2029 so that the payload stays one JavaScript expression', async () => {
      const { proxy } = await fixture({ name: 'Line\u2028Para\u2029Conf' });
      const answer = await call(`${proxy.url}/api/registration?callback=cb`);
      assert.ok(!answer.text.includes('\u2028') && !answer.text.includes('\u2029'));
      assert.ok(answer.text.includes('\\u2028') && answer.text.includes('\\u2029'));
      assert.equal(runJsonp(answer.text, 'cb').data.conference.name, 'Line\u2028Para\u2029Conf');
    });

    it('reports a backend refusal as a 200 script with Success: false', async () => {
      const { proxy } = await fixture({ status: 'draft' });
      const answer = await call(`${proxy.url}/api/registration?callback=cb`);
      assertScriptHeaders(answer);
      const payload = runJsonp(answer.text, 'cb');
      assert.equal(payload.Success, false);
      assert.equal(payload.Code, 'ConferenceNotLive');
      assert.equal(payload.code, 'conference_not_live');
      assert.equal(payload.status, 403);
      assert.equal(payload.Message, payload.message);
    });
  });

  describe('hostile callbacks', () => {
    for (const callback of ['alert(1)//', '<script>', 'a'.repeat(65), 'a..b', '1abc', 'a-b', 'a;b', '']) {
      it(`answers ${JSON.stringify(callback.length > 20 ? `${callback.length} chars` : callback)} with a 400 JSON error, never script`, async () => {
        const { proxy } = await fixture();
        for (const url of [
          `${proxy.url}/api/registration?callback=${encodeURIComponent(callback)}`,
          jsonpSubmitUrl(proxy.url, person(1), callback),
        ]) {
          const answer = await call(url, asScript);
          assert.equal(answer.status, 400);
          assert.match(answer.headers.get('content-type') ?? '', /^application\/json/);
          assert.equal(answer.json.code, 'invalid_callback');
          if (callback) assert.ok(!answer.text.includes(callback), 'the callback is not echoed');
        }
      });
    }

    it('accepts exactly 64 characters', async () => {
      const { proxy } = await fixture();
      const callback = `cb${'x'.repeat(62)}`;
      const answer = await call(`${proxy.url}/api/registration?callback=${callback}`);
      assert.equal(answer.status, 200);
      assert.ok(runJsonp(answer.text, callback).data);
    });

    it('refuses a callback given twice', async () => {
      const { proxy } = await fixture();
      const answer = await call(`${proxy.url}/api/registration?callback=a&callback=b`);
      assert.equal(answer.status, 400);
      assert.equal(answer.json.code, 'invalid_callback');
    });

    it('refuses a JSONP submit without a callback with a 400 JSON error', async () => {
      const { proxy } = await fixture();
      const answer = await call(
        `${proxy.url}/api/registration?method=post&format=json&jsonData=${encodeURIComponent(JSON.stringify(person(2)))}`,
      );
      assert.equal(answer.status, 400);
      assert.equal(answer.json.code, 'invalid_callback');
    });
  });

  describe('GET ?method=post&format=json&callback=&jsonData= (the submit)', () => {
    it('creates the registration and calls back with { ok: true, registration } and no Success field', async () => {
      const { proxy, conferenceId } = await fixture();
      const answer = await call(jsonpSubmitUrl(proxy.url, person(1)), asScript);
      assertScriptHeaders(answer);
      const payload = runJsonp(answer.text);
      assert.equal(payload.ok, true);
      assert.equal(payload.registration.conferenceId, conferenceId);
      assert.equal('Success' in payload, false);
    });

    it('answers a duplicate with seed 004’s error payload', async () => {
      const { proxy } = await fixture();
      await call(jsonpSubmitUrl(proxy.url, person(2)), asScript);
      const answer = await call(jsonpSubmitUrl(proxy.url, person(2)), asScript);
      assertScriptHeaders(answer);
      const payload = runJsonp(answer.text);
      assert.deepEqual(
        { Success: payload.Success, Code: payload.Code, Message: payload.Message },
        {
          Success: false,
          Code: 'DuplicateRegistration',
          Message: 'Julie Everett2 (julie.everett2@example.org) is already registered for this event',
        },
      );
      assert.equal(payload.ok, false);
      assert.equal(payload.status, 409);
      assert.equal(payload.code, 'duplicate_registration');
    });

    it('answers a full conference with Code EventFull', async () => {
      const { proxy } = await fixture({ capacity: 1 });
      await call(jsonpSubmitUrl(proxy.url, person(3)), asScript);
      const payload = runJsonp((await call(jsonpSubmitUrl(proxy.url, person(4)), asScript)).text);
      assert.equal(payload.Code, 'EventFull');
    });

    it('answers invalid fields with Code ValidationFailed and the field messages', async () => {
      const { proxy } = await fixture();
      const payload = runJsonp((await call(jsonpSubmitUrl(proxy.url, person(5, { email: 'nope' })), asScript)).text);
      assert.equal(payload.Success, false);
      assert.equal(payload.Code, 'ValidationFailed');
      assert.ok(payload.details.fields.email);
    });

    it('answers jsonData that is not JSON with Code InvalidJson, without quoting it', async () => {
      const { proxy } = await fixture();
      const url = `${proxy.url}/api/registration?method=post&format=json&callback=onConfera&jsonData=${encodeURIComponent('{"firstName": "Secretname"')}`;
      const answer = await call(url, asScript);
      const payload = runJsonp(answer.text);
      assert.equal(payload.Code, 'InvalidJson');
      assert.ok(!answer.text.includes('Secretname'));
    });

    for (const [name, raw] of [
      ['a __proto__ key', '"customFields":{"__proto__":"x"}'],
      ['a lone surrogate', '"lastName":"Ev\\udfffrett"'],
    ]) {
      it(`answers jsonData with ${name} with Code InvalidJson, without creating anything`, async () => {
        const { proxy } = await fixture();
        const jsonData = JSON.stringify(person(14)).replace(/}$/, `,${raw}}`);
        const url = `${proxy.url}/api/registration?${new URLSearchParams({ method: 'post', format: 'json', callback: 'onConfera', jsonData })}`;
        const answer = await call(url, asScript);
        assertScriptHeaders(answer);
        const payload = runJsonp(answer.text);
        assert.equal(payload.Success, false);
        assert.equal(payload.Code, 'InvalidJson');
        assert.equal(payload.status, 400);
        assert.equal(proxy.upstreamCalls(), 0);
      });
    }

    it('answers jsonData over 8 KiB with Code PayloadTooLarge, without creating anything', async () => {
      const { proxy } = await fixture();
      const payload = runJsonp(
        (await call(jsonpSubmitUrl(proxy.url, person(6, { customFields: { dietary: 'x'.repeat(8 * 1024) } })), asScript)).text,
      );
      assert.equal(payload.Success, false);
      assert.equal(payload.Code, 'PayloadTooLarge');
      assert.equal(proxy.upstreamCalls(), 0);
    });

    it('accepts jsonData just under 8 KiB of non-ASCII text and quotes (a URL three times that size)', async () => {
      const notes = { key: 'notes', label: 'Notes', type: 'textarea', max_length: 4096 };
      const { proxy } = await fixture({ fields: [notes, { ...notes, key: 'more', label: 'More notes' }] });
      // é is 2 bytes in UTF-8 and 6 characters percent-encoded; a quote is 2 (\") and 6 (%5C%22).
      const text = (n: number) => 'é"'.repeat(n);
      let pairs = 1_000;
      const payload = () => person(13, { customFields: { notes: text(pairs), more: text(pairs) } });
      while (Buffer.byteLength(JSON.stringify(payload()), 'utf8') + 8 <= 8 * 1024) pairs++;
      pairs--;
      const bytes = Buffer.byteLength(JSON.stringify(payload()), 'utf8');
      assert.ok(bytes > 8 * 1024 - 16 && bytes <= 8 * 1024, `jsonData is ${bytes} bytes`);
      const url = jsonpSubmitUrl(proxy.url, payload());
      assert.ok(url.length > 3 * 8 * 1024 - 512, `the URL is ${url.length} characters`);
      const answer = await call(url, asScript);
      assertScriptHeaders(answer);
      const result = runJsonp(answer.text);
      assert.equal(result.ok, true, JSON.stringify(result).slice(0, 300));
      assert.equal(result.registration.customFields.notes, text(pairs));
    });

    it('needs format=json', async () => {
      const { proxy } = await fixture();
      const payload = runJsonp((await call(jsonpSubmitUrl(proxy.url, person(7), 'onConfera', { format: 'xml' }), asScript)).text);
      assert.equal(payload.Code, 'NotAcceptable');
    });

    it('refuses method values other than post', async () => {
      const { proxy } = await fixture();
      const payload = runJsonp((await call(jsonpSubmitUrl(proxy.url, person(8), 'onConfera', { method: 'delete' }), asScript)).text);
      assert.equal(payload.Code, 'MethodNotAllowed');
    });

    for (const method of ['HEAD', 'POST', 'PUT', 'DELETE']) {
      it(`answers ${method} on the JSONP submit URL with a 405 JSON error and Allow: GET, creating nothing`, async () => {
        const { proxy, apiKey } = await fixture();
        const answer = await call(jsonpSubmitUrl(proxy.url, person(15)), { method, headers: asScript.headers });
        assert.equal(answer.status, 405);
        assert.equal(answer.headers.get('allow'), 'GET');
        assert.match(answer.headers.get('content-type') ?? '', /^application\/json/);
        if (method !== 'HEAD') assert.equal(answer.json.code, 'method_not_allowed');
        assert.equal(proxy.upstreamCalls(), 0);
        const list = await fetch(`${suite.backend.api}/registrations/registrations`, { headers: { 'x-api-key': apiKey } });
        assert.deepEqual(((await list.json()) as { data: unknown[] }).data, []);
      });
    }

    it('forwards submissionId as the Idempotency-Key: a retried script creates one registration', async () => {
      const { proxy, apiKey } = await fixture();
      const body = { ...person(9), submissionId: 'a1b2c3' };
      const first = runJsonp((await call(jsonpSubmitUrl(proxy.url, body), asScript)).text);
      const second = runJsonp((await call(jsonpSubmitUrl(proxy.url, body), asScript)).text);
      assert.equal(first.ok, true);
      assert.equal(second.ok, true);
      assert.equal(second.registration.id, first.registration.id);
      const list = await fetch(`${suite.backend.api}/registrations/registrations`, { headers: { 'x-api-key': apiKey } });
      assert.equal(((await list.json()) as { data: unknown[] }).data.length, 1);
    });

    describe('who may submit', () => {
      const refused: [string, Record<string, string>][] = [
        ['a foreign Referer', { referer: 'https://evil.example/page', 'sec-fetch-dest': 'script' }],
        ['a look-alike Referer', { referer: 'https://www.example.org.evil.io/page', 'sec-fetch-dest': 'script' }],
        ['another scheme in the Referer', { referer: 'http://www.example.org/page', 'sec-fetch-dest': 'script' }],
        ['no Referer', { 'sec-fetch-dest': 'script' }],
        ['Sec-Fetch-Dest: document', { referer: PAGE, 'sec-fetch-dest': 'document' }],
        ['Sec-Fetch-Dest: iframe', { referer: PAGE, 'sec-fetch-dest': 'iframe' }],
        ['Sec-Fetch-Dest: empty (a fetch())', { referer: PAGE, 'sec-fetch-dest': 'empty' }],
      ];
      for (const [name, headers] of refused) {
        it(`refuses ${name} with a Success: false payload and creates nothing`, async () => {
          const { proxy } = await fixture();
          const answer = await call(jsonpSubmitUrl(proxy.url, person(10)), { headers });
          assertScriptHeaders(answer);
          const payload = runJsonp(answer.text);
          assert.equal(payload.Success, false);
          assert.equal(payload.status, 403);
          assert.equal(proxy.upstreamCalls(), 0);
        });
      }

      it('accepts an allowed Referer from a browser that sends no Sec-Fetch-Dest', async () => {
        const { proxy } = await fixture();
        const payload = runJsonp(
          (await call(jsonpSubmitUrl(proxy.url, person(11)), { headers: { referer: 'http://localhost:8080/x?y' } })).text,
        );
        assert.equal(payload.ok, true);
      });

      it('accepts any Referer when ALLOWED_ORIGINS is *', async () => {
        const seeded = await seedConference(suite.backend.store);
        const proxy = await startProxy({ backendUrl: suite.backend.url, apiKey: seeded.apiKey, config: { allowedOrigins: '*' } });
        suite.track(proxy);
        const payload = runJsonp(
          (await call(jsonpSubmitUrl(proxy.url, person(12)), { headers: { referer: 'https://anywhere.example/' } })).text,
        );
        assert.equal(payload.ok, true);
      });
    });

    it('writes no log line that holds jsonData or any part of the query string', async () => {
      const { proxy } = await fixture();
      const marker = 'Zyxwvutsrq';
      await call(jsonpSubmitUrl(proxy.url, person(marker)), asScript);
      await call(jsonpSubmitUrl(proxy.url, person(marker, { email: 'bad' })), asScript);
      await call(
        `${proxy.url}/api/registration?method=post&format=json&callback=cb&jsonData=${encodeURIComponent(`{"firstName":"${marker}"`)}`,
        asScript,
      );
      assert.ok(proxy.logs.length >= 3);
      for (const line of proxy.logs) {
        assert.ok(!line.includes(marker), line);
        assert.ok(!line.includes('jsonData'), line);
        assert.ok(!line.includes('callback'), line);
      }
    });
  });
});
