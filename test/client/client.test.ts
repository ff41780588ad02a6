import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ConferaApiError, createConferaPublicClient, isConferaApiError, type FetchLike } from '../../client/index.js';
import { person, seedConference, startBackend, type TestBackend } from '../helpers/backend.js';

/** A real HTTP server playing a broken or silent backend. */
async function stub(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Awaits a rejection and returns it as a ConferaApiError (failing otherwise). */
async function apiError(promise: Promise<unknown>): Promise<ConferaApiError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isConferaApiError(error), `not a ConferaApiError: ${String(error)}`);
    return error;
  }
  assert.fail('expected a rejection');
}

/** Every error a test saw, for the final key scan. */
const errors: ConferaApiError[] = [];
const keys: string[] = [];

describe('createConferaPublicClient', () => {
  let backend: TestBackend;

  before(async () => {
    backend = await startBackend();
  });
  after(async () => {
    await backend.close();
  });

  async function fixture(overrides: Record<string, unknown> = {}) {
    const seeded = await seedConference(backend.store, overrides);
    keys.push(seeded.apiKey);
    const client = createConferaPublicClient({
      baseUrl: backend.url,
      apiKey: seeded.apiKey,
      timeoutMs: 5_000,
      userAgent: 'client-test/1.0',
    });
    return { ...seeded, client };
  }

  async function failure(promise: Promise<unknown>) {
    const error = await apiError(promise);
    errors.push(error);
    return error;
  }

  describe('registrations.getConfig()', () => {
    it('returns { data: Config }, checked against the contract', async () => {
      const { client, conferenceId } = await fixture();
      const config = await client.registrations.getConfig();
      assert.equal(config.data.conference.id, conferenceId);
      assert.equal(config.data.open_phase?.id, 'early-bird');
      assert.deepEqual(
        config.data.ticket_types.map((t) => t.price?.amount),
        [0, 14900],
      );
    });
  });

  describe('registrations.create()', () => {
    it('returns { data: Registration } for a new registration', async () => {
      const { client, conferenceId } = await fixture();
      const created = await client.registrations.create({
        firstName: 'Aisha',
        lastName: 'Khan',
        email: 'aisha@example.com',
        ticketTypeId: 'standard',
        paymentMethodId: 'bank',
        paymentReference: 'TXN-12345',
      });
      assert.equal(created.data.conferenceId, conferenceId);
      assert.equal(created.data.status, 'pending_payment');
      assert.equal(created.data.price.amount, 14900);
    });

    it('sends the idempotency key: the same key and body give the same registration', async () => {
      const { client } = await fixture();
      const body = person(1) as { firstName: string; lastName: string; email: string; ticketTypeId: string };
      const first = await client.registrations.create(body, { idempotencyKey: 'k-1' });
      const second = await client.registrations.create(body, { idempotencyKey: 'k-1' });
      assert.equal(second.data.id, first.data.id);
      const reused = await failure(client.registrations.create({ ...body, lastName: 'Other' }, { idempotencyKey: 'k-1' }));
      assert.equal(reused.code, 'idempotency_key_reused');
      assert.equal(reused.status, 422);
    });

    it('rejects an idempotency key the backend would refuse, before sending anything', async () => {
      let calls = 0;
      const client = createConferaPublicClient({
        baseUrl: backend.url,
        apiKey: 'cat_x',
        fetch: (i, init) => {
          calls++;
          return fetch(i, init);
        },
      });
      await assert.rejects(client.registrations.create(person(2) as never, { idempotencyKey: 'with space' }), TypeError);
      assert.equal(calls, 0);
    });

    it('sends the visitor’s address as Confera-Client-Address, and refuses one that is not an IP address before sending', async () => {
      const sent: (string | null)[] = [];
      const client = createConferaPublicClient({
        baseUrl: backend.url,
        apiKey: 'cat_x',
        fetch: (i, init) => {
          sent.push(new Headers(init?.headers).get('confera-client-address'));
          return fetch(i, init);
        },
      });
      await failure(client.registrations.create(person(3) as never, { clientAddress: '2001:db8::7' }));
      await assert.rejects(client.registrations.create(person(4) as never, { clientAddress: '9.9.9.9:1234' }), TypeError);
      assert.deepEqual(sent, ['2001:db8::7']);
    });

    it('throws the backend’s error as a ConferaApiError with status, code, message and details', async () => {
      const { client } = await fixture();
      const invalid = await failure(
        client.registrations.create({
          ...(person(3) as { firstName: string; lastName: string; email: string; ticketTypeId: string }),
          email: 'nope',
        }),
      );
      assert.equal(invalid.status, 400);
      assert.equal(invalid.code, 'validation_failed');
      assert.ok((invalid.details?.fields as Record<string, string[]> | undefined)?.email);
      assert.ok(invalid instanceof Error);

      await client.registrations.create(person(4) as never);
      const duplicate = await failure(client.registrations.create(person(4) as never));
      assert.equal(duplicate.status, 409);
      assert.equal(duplicate.code, 'duplicate_registration');
      assert.match(duplicate.message, /is already registered for this event/);
    });
  });

  describe('registrations.list() and get()', () => {
    it('pages through the registrations with limit and cursor', async () => {
      const { client } = await fixture();
      const created = [];
      for (let n = 0; n < 3; n++) created.push((await client.registrations.create(person(10 + n) as never)).data.id);
      const first = await client.registrations.list({ limit: 2 });
      assert.equal(first.data.length, 2);
      assert.ok(first.next_cursor);
      const second = await client.registrations.list({ limit: 2, cursor: first.next_cursor });
      assert.equal(second.data.length, 1);
      assert.equal(second.next_cursor, null);
      assert.deepEqual([...first.data, ...second.data].map((r) => r.id).sort(), created.sort());
    });

    it('gets one registration by id, and 404 not_found for another', async () => {
      const { client } = await fixture();
      const { data } = await client.registrations.create(person(20) as never);
      assert.equal((await client.registrations.get(data.id)).data.reference, data.reference);
      const missing = await failure(client.registrations.get('../config?x=1'));
      assert.equal(missing.status, 404);
      assert.equal(missing.code, 'not_found');
    });
  });

  describe('when the key does not work', () => {
    it('throws 401 invalid_api_key for an unknown key', async () => {
      const key = `cat_${'Z'.repeat(42)}`;
      keys.push(key);
      const client = createConferaPublicClient({ baseUrl: backend.url, apiKey: key });
      const error = await failure(client.registrations.getConfig());
      assert.equal(error.status, 401);
      assert.equal(error.code, 'invalid_api_key');
    });

    it('throws 403 conference_not_live once the conference has ended', async () => {
      const { client } = await fixture({ status: 'ended' });
      const error = await failure(client.registrations.getConfig());
      assert.equal(error.status, 403);
      assert.equal(error.code, 'conference_not_live');
    });
  });

  describe('transport failures', () => {
    it('throws code timeout when the backend does not answer within timeoutMs', async () => {
      const silent = await stub(() => {});
      try {
        const client = createConferaPublicClient({ baseUrl: silent.url, apiKey: 'cat_timeoutkey', timeoutMs: 100 });
        keys.push('cat_timeoutkey');
        const started = performance.now();
        const error = await failure(client.registrations.getConfig());
        assert.equal(error.code, 'timeout');
        assert.equal(error.status, 0);
        assert.ok(performance.now() - started < 2_000);
      } finally {
        await silent.close();
      }
    });

    it('throws code timeout when the body stalls after the headers', async () => {
      const stalling = await stub((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"data":');
      });
      try {
        const client = createConferaPublicClient({ baseUrl: stalling.url, apiKey: 'cat_timeoutkey', timeoutMs: 100 });
        assert.equal((await failure(client.registrations.getConfig())).code, 'timeout');
      } finally {
        await stalling.close();
      }
    });

    it('throws code network_error when nothing listens', async () => {
      const gone = await stub(() => {});
      await gone.close();
      const client = createConferaPublicClient({ baseUrl: gone.url, apiKey: 'cat_networkkey' });
      keys.push('cat_networkkey');
      const error = await failure(client.registrations.getConfig());
      assert.equal(error.code, 'network_error');
      assert.equal(error.status, 0);
    });

    const nonsense: [string, (res: ServerResponse) => void][] = [
      ['a 200 that is not JSON', (res) => res.writeHead(200).end('<html>')],
      [
        'a 200 that does not fit the contract',
        (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"conference":null}}'),
      ],
      ['a 502 page from a load balancer', (res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad gateway</h1>')],
    ];
    for (const [name, reply] of nonsense) {
      it(`throws code invalid_response for ${name}`, async () => {
        const broken = await stub((_req, res) => reply(res));
        try {
          const client = createConferaPublicClient({ baseUrl: broken.url, apiKey: 'cat_brokenkey' });
          keys.push('cat_brokenkey');
          const error = await failure(client.registrations.getConfig());
          assert.equal(error.code, 'invalid_response');
          assert.ok(error.status >= 200);
        } finally {
          await broken.close();
        }
      });
    }
  });

  describe('the default node:http transport, on a pooled socket the server has dropped', () => {
    /**
     * A relay to the real backend that destroys the second request on a kept-alive socket, once,
     * without answering: the request never reaches the backend, as when a server closes an idle
     * socket just as the client reuses it.
     */
    async function droppingRelay() {
      const perSocket = new WeakMap<object, number>();
      const seen = { requests: 0, dropped: 0, forwarded: [] as string[] };
      const relay = await stub((req, res) => {
        seen.requests++;
        const n = (perSocket.get(req.socket) ?? 0) + 1;
        perSocket.set(req.socket, n);
        if (n === 2 && seen.dropped === 0) {
          seen.dropped++;
          req.socket.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', async () => {
          seen.forwarded.push(`${req.method} ${req.url}`);
          const headers = Object.fromEntries(
            Object.entries(req.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name)),
          ) as Record<string, string>;
          const upstream = await fetch(`${backend.url}${req.url}`, {
            method: req.method!,
            headers,
            ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
          });
          res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(await upstream.text());
        });
      });
      return { ...relay, seen };
    }

    async function viaRelay() {
      const seeded = await fixture();
      const relay = await droppingRelay();
      // No fetch injected: the production transport (client/node-transport.ts) with its keep-alive pool.
      const client = createConferaPublicClient({ baseUrl: relay.url, apiKey: seeded.apiKey, timeoutMs: 5_000 });
      await client.registrations.getConfig(); // opens the socket the next call reuses
      return { ...seeded, relay, client };
    }

    it('retries an idempotent POST once on a new socket: one registration', async () => {
      const { relay, client } = await viaRelay();
      try {
        const created = await client.registrations.create(person(70) as never, { idempotencyKey: 'pooled-1' });
        assert.equal(relay.seen.dropped, 1);
        assert.equal(relay.seen.requests, 3);
        assert.deepEqual(relay.seen.forwarded, [
          'GET /api/public/v1/registrations/config',
          'POST /api/public/v1/registrations/registrations',
        ]);
        const list = await client.registrations.list();
        assert.deepEqual(
          list.data.map((r) => r.id),
          [created.data.id],
        );
      } finally {
        await relay.close();
      }
    });

    it('retries a GET once', async () => {
      const { relay, client, conferenceId } = await viaRelay();
      try {
        assert.equal((await client.registrations.getConfig()).data.conference.id, conferenceId);
        assert.equal(relay.seen.dropped, 1);
        assert.equal(relay.seen.forwarded.length, 2);
      } finally {
        await relay.close();
      }
    });

    it('does not retry a POST without an Idempotency-Key: network_error, nothing created', async () => {
      const { relay, client } = await viaRelay();
      try {
        const error = await failure(client.registrations.create(person(71) as never));
        assert.equal(error.code, 'network_error');
        assert.equal(relay.seen.dropped, 1);
        assert.equal(relay.seen.requests, 2);
        assert.deepEqual((await client.registrations.list()).data, []);
      } finally {
        await relay.close();
      }
    });
  });

  describe('options', () => {
    it('sends the key in X-API-Key, the user agent, and JSON headers through an injected fetch', async () => {
      const seen: { url: string; headers: Record<string, string> }[] = [];
      const recording: FetchLike = (input, init) => {
        seen.push({ url: input, headers: init.headers as Record<string, string> });
        return fetch(input, init);
      };
      const { apiKey } = await fixture();
      const client = createConferaPublicClient({ baseUrl: `${backend.url}/`, apiKey, userAgent: 'my-form/2.0', fetch: recording });
      await client.registrations.create(person(30) as never, { idempotencyKey: 'abc' });
      await client.registrations.list({ limit: 5 });
      assert.equal(seen[0]!.url, `${backend.url}/api/public/v1/registrations/registrations`);
      assert.equal(seen[0]!.headers['x-api-key'], apiKey);
      assert.equal(seen[0]!.headers['user-agent'], 'my-form/2.0');
      assert.equal(seen[0]!.headers['content-type'], 'application/json');
      assert.equal(seen[0]!.headers['idempotency-key'], 'abc');
      assert.equal(seen[1]!.url, `${backend.url}/api/public/v1/registrations/registrations?limit=5`);
    });

    it('keeps a path prefix of baseUrl', async () => {
      const urls: string[] = [];
      const client = createConferaPublicClient({
        baseUrl: 'https://api.example/confera/',
        apiKey: 'cat_prefixkey',
        fetch: async (input) => {
          urls.push(input);
          return new Response('{"data":[],"next_cursor":null}', { status: 200 });
        },
      });
      await client.registrations.list();
      assert.deepEqual(urls, ['https://api.example/confera/api/public/v1/registrations/registrations']);
    });

    it('refuses bad options with a TypeError naming the option, never its value', () => {
      assert.throws(
        () => createConferaPublicClient({ baseUrl: 'not a url', apiKey: 'cat_secretvalue' }),
        (e: Error) => e instanceof TypeError && /baseUrl/.test(e.message) && !e.message.includes('cat_secretvalue'),
      );
      assert.throws(() => createConferaPublicClient({ baseUrl: 'https://x.example', apiKey: '' }), /apiKey/);
      assert.throws(() => createConferaPublicClient({ baseUrl: 'https://x.example', apiKey: 'k', timeoutMs: 0 }), TypeError);
    });
  });

  describe('isConferaApiError', () => {
    it('is true for client errors and false for anything else', () => {
      assert.equal(isConferaApiError(new ConferaApiError({ status: 409, code: 'event_full', message: 'full' })), true);
      assert.equal(isConferaApiError(new Error('x')), false);
      assert.equal(isConferaApiError({ status: 409, code: 'event_full', message: 'full' }), false);
      assert.equal(isConferaApiError(null), false);
    });
  });

  it('never puts the API key into an error’s message, details or JSON', () => {
    assert.ok(errors.length >= 10);
    for (const error of errors) {
      const text = `${error.message} ${JSON.stringify(error)} ${String(error.stack)}`;
      for (const key of keys) assert.ok(!text.includes(key), `${error.code} leaks a key`);
    }
  });
});
