import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { person, seedConference, startBackend, type TestBackend } from '../helpers/backend.js';
import { eventually } from '../helpers/eventually.js';
import {
  call,
  deadUrl,
  jsonpSubmitUrl,
  postJson,
  runJsonp,
  scanEachTestForLeaks,
  startProxy,
  startSlowRelay,
  startStub,
  watchLogs,
  type TestProxy,
} from './support.js';

/** When the backend is down, slow or broken (SPEC §3: clear 502/504 answers). */
describe('the proxy in front of a failing backend', () => {
  scanEachTestForLeaks();
  let backend: TestBackend;
  const closers: (() => Promise<void>)[] = [];

  before(async () => {
    backend = await startBackend();
    watchLogs(backend.logs);
  });
  after(async () => {
    await Promise.all(closers.map((close) => close()));
    await backend.close();
  });

  async function proxyTo(backendUrl: string, apiKey: string, timeoutMs = 5_000): Promise<TestProxy> {
    const proxy = await startProxy({ backendUrl, apiKey, timeoutMs });
    closers.push(proxy.close);
    return proxy;
  }

  describe('when nothing listens at the backend URL', () => {
    it('answers the submit and the config with 502 upstream_unavailable', async () => {
      const { apiKey } = await seedConference(backend.store);
      const proxy = await proxyTo(await deadUrl(), apiKey);
      const submit = await postJson(`${proxy.url}/api/registration`, person(1));
      assert.equal(submit.status, 502);
      assert.deepEqual(
        { ok: submit.json.ok, status: submit.json.status, code: submit.json.code },
        { ok: false, status: 502, code: 'upstream_unavailable' },
      );
      const config = await call(`${proxy.url}/api/registration`);
      assert.equal(config.status, 502);
      assert.equal(config.json.code, 'upstream_unavailable');
      assert.ok(proxy.logs.some((line) => line.includes('"upstreamCode":"network_error"')));
    });

    it('answers a JSONP submit with a 200 Success: false payload', async () => {
      const { apiKey } = await seedConference(backend.store);
      const proxy = await proxyTo(await deadUrl(), apiKey);
      const answer = await call(jsonpSubmitUrl(proxy.url, person(2)), { headers: { referer: 'https://www.example.org/' } });
      assert.equal(answer.status, 200);
      const payload = runJsonp(answer.text);
      assert.equal(payload.Code, 'UpstreamUnavailable');
      assert.equal(payload.status, 502);
    });

    it('reports not ready on /readyz, and alive on /healthz', async () => {
      const { apiKey } = await seedConference(backend.store);
      const proxy = await proxyTo(await deadUrl(), apiKey);
      const ready = await call(`${proxy.url}/readyz`);
      assert.equal(ready.status, 503);
      assert.equal(ready.json.code, 'not_ready');
      assert.equal((await call(`${proxy.url}/healthz`)).status, 200);
    });
  });

  describe('when the backend answers 5xx or nonsense', () => {
    for (const [name, reply] of [
      [
        'a 500 error body',
        (res: import('node:http').ServerResponse) =>
          res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"code":"internal_error","message":"boom"}}'),
      ],
      [
        'an HTML 503 from a load balancer',
        (res: import('node:http').ServerResponse) => res.writeHead(503, { 'content-type': 'text/html' }).end('<h1>down</h1>'),
      ],
      [
        'a 201 that does not fit the contract',
        (res: import('node:http').ServerResponse) => res.writeHead(201, { 'content-type': 'application/json' }).end('{"data":{"id":1}}'),
      ],
    ] as const) {
      it(`answers 502 upstream_unavailable for ${name}, without relaying it`, async () => {
        const stub = await startStub((_req, res) => reply(res));
        closers.push(stub.close);
        const proxy = await proxyTo(stub.url, `cat_${'C'.repeat(42)}`);
        const answer = await postJson(`${proxy.url}/api/registration`, person(3));
        assert.equal(answer.status, 502);
        assert.equal(answer.json.code, 'upstream_unavailable');
        assert.ok(!answer.text.includes('boom') && !answer.text.includes('<h1>'));
      });
    }
  });

  describe('when a newer backend adds fields to its answers (a rolling deploy)', () => {
    /** The real backend behind a relay that adds a field at every level of each 2xx answer. */
    async function newerBackend() {
      const stub = await startStub(async (req, res) => {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const headers = Object.fromEntries(
          Object.entries(req.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name)),
        ) as Record<string, string>;
        const body = chunks.length ? Buffer.concat(chunks) : undefined;
        const upstream = await fetch(`${backend.url}${req.url}`, { method: req.method!, headers, ...(body ? { body } : {}) });
        let text = await upstream.text();
        if (upstream.ok) {
          const json = JSON.parse(text);
          json.api_version = '1.1';
          json.data.added_in_v1_1 = true;
          for (const ticket of json.data.ticket_types ?? []) ticket.colour = 'teal';
          text = JSON.stringify(json);
        }
        res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(text);
      });
      closers.push(stub.close);
      return stub;
    }

    it('still serves the config (200) with the fields this version knows', async () => {
      const { apiKey } = await seedConference(backend.store);
      const proxy = await proxyTo((await newerBackend()).url, apiKey);
      const answer = await call(`${proxy.url}/api/registration`);
      assert.equal(answer.status, 200);
      assert.equal(answer.json.data.ticket_types.length, 2);
      assert.equal(answer.json.data.added_in_v1_1, undefined);
      assert.equal(answer.json.data.ticket_types[0].colour, undefined);
    });

    it('still registers (201): the extra field does not turn into a 502', async () => {
      const { apiKey } = await seedConference(backend.store);
      const proxy = await proxyTo((await newerBackend()).url, apiKey);
      const answer = await postJson(`${proxy.url}/api/registration`, person(40));
      assert.equal(answer.status, 201);
      assert.match(answer.json.registration.reference, /^CNF-/);
      assert.equal(answer.json.registration.added_in_v1_1, undefined);
    });
  });

  describe('when the backend is slower than CONFERA_TIMEOUT_MS', () => {
    it('answers 504 upstream_timeout in about the timeout', async () => {
      const stub = await startStub(() => {
        /* never answers */
      });
      closers.push(stub.close);
      const proxy = await proxyTo(stub.url, `cat_${'D'.repeat(42)}`, 150);
      const started = performance.now();
      const answer = await postJson(`${proxy.url}/api/registration`, person(4));
      const took = performance.now() - started;
      assert.equal(answer.status, 504);
      assert.deepEqual(
        { ok: answer.json.ok, status: answer.json.status, code: answer.json.code },
        { ok: false, status: 504, code: 'upstream_timeout' },
      );
      assert.ok(took >= 140 && took < 2_000, `took ${took} ms`);
    });

    /** A relay that holds every request until `open()`: the backend acts on it after the proxy gave up. */
    async function gatedRelay() {
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      const relay = await startSlowRelay(backend.url, () => gate);
      closers.push(relay.close);
      return { url: relay.url, open };
    }

    /** The registrations the backend holds for a key's conference. */
    async function registrationsOf(apiKey: string): Promise<{ id: string }[]> {
      const response = await fetch(`${backend.api}/registrations/registrations`, { headers: { 'x-api-key': apiKey } });
      return ((await response.json()) as { data: { id: string }[] }).data;
    }

    it('creates one registration when the same submission is retried after a timeout', async () => {
      const { apiKey } = await seedConference(backend.store);
      const relay = await gatedRelay();
      const proxy = await proxyTo(relay.url, apiKey, 150);
      const endpoint = `${proxy.url}/api/registration`;
      const headers = { 'idempotency-key': 'retry-after-timeout-1' };

      const first = await postJson(endpoint, person(5), headers);
      assert.equal(first.status, 504);
      // The backend still receives the first request and creates the registration.
      relay.open();
      await eventually(async () => (await registrationsOf(apiKey)).length === 1, { what: 'the first request to be registered' });

      const retry = await postJson(endpoint, person(5), headers);
      assert.equal(retry.status, 201);
      const registrations = await registrationsOf(apiKey);
      assert.equal(registrations.length, 1, 'the retry did not create a second registration');
      assert.equal(retry.json.registration.id, registrations[0]!.id);
    });

    it('without an Idempotency-Key, a retry is refused as a duplicate rather than registered twice', async () => {
      const { apiKey } = await seedConference(backend.store);
      const relay = await gatedRelay();
      const proxy = await proxyTo(relay.url, apiKey, 150);
      assert.equal((await postJson(`${proxy.url}/api/registration`, person(6))).status, 504);
      relay.open();
      await eventually(async () => (await registrationsOf(apiKey)).length === 1, { what: 'the first request to be registered' });
      const retry = await postJson(`${proxy.url}/api/registration`, person(6));
      assert.equal(retry.status, 409);
      assert.equal(retry.json.code, 'duplicate_registration');
    });
  });

  describe('/readyz', () => {
    it('is ready when the backend answers the key', async () => {
      const { apiKey } = await seedConference(backend.store);
      const proxy = await proxyTo(backend.url, apiKey);
      const answer = await call(`${proxy.url}/readyz`);
      assert.equal(answer.status, 200);
      assert.equal(answer.json.status, 'ok');
    });

    it('is not ready when the backend refuses the key', async () => {
      const proxy = await proxyTo(backend.url, `cat_${'E'.repeat(42)}`);
      const answer = await call(`${proxy.url}/readyz`);
      assert.equal(answer.status, 503);
      assert.equal(answer.json.code, 'not_ready');
      // The cause is for the operator's log, not for a public endpoint.
      assert.equal(answer.json.details, undefined);
      assert.ok(proxy.logs.some((line) => line.includes('"upstreamCode":"invalid_api_key"')));
    });

    it('stays ready for a conference that is not live: that answer is relayed to the form', async () => {
      const { apiKey } = await seedConference(backend.store, { status: 'ended' });
      const proxy = await proxyTo(backend.url, apiKey);
      assert.equal((await call(`${proxy.url}/readyz`)).status, 200);
    });
  });
});
