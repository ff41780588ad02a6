import assert from 'node:assert/strict';
import { gzipSync, deflateSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { Registration } from '../../contract/index.js';
import { API_BASE } from '../../backend/app.js';
import { DIALECTS } from '../helpers/database.js';
import { seedConference, startBackend, type Seeded, type TestBackend } from '../helpers/backend.js';
import {
  assertSaneResponse,
  assertStoredRowsValid,
  createBody,
  FUZZ_FIELDS,
  rawRequest,
  validBody,
  type RawResponse,
} from './fuzz-support.js';

/**
 * Bad input (issue 2): property-based fuzz of create bodies, headers and content types over
 * real HTTP against the real server. Whatever comes in, the answer is never 5xx, every error
 * has the SPEC §2 shape and the status of its code, and no invalid row is ever stored.
 */

const CREATE = `${API_BASE}/registrations/registrations`;
/**
 * One fixed seed, so `npm test` runs the same inputs every time: a seed from the clock once
 * drew no acceptable raw body in 200 runs and failed CI by chance. FUZZ_SEED explores others
 * (FUZZ_SEED=$RANDOM npm run test:servers); the seed is in the test's name for a replay.
 */
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20_261_207;
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);

// Header values node:http will send: tab, printable ASCII and Latin-1 (obs-text).
const headerChar = fc.oneof(
  { arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), weight: 8 },
  { arbitrary: fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)), weight: 1 },
  { arbitrary: fc.constant('\t'), weight: 1 },
);
const headerValue = (maxLength: number) => fc.string({ unit: headerChar, maxLength });

const contentType = fc.option(
  fc.oneof(
    { arbitrary: fc.constant('application/json'), weight: 6 },
    {
      arbitrary: fc.constantFrom(
        'application/json',
        'application/json; charset=utf-8',
        'application/json;charset=UTF-8',
        'application/json; charset="utf-8"',
        'Application/JSON',
        'application/json; charset=latin1',
        'application/json; charset=iso-8859-1',
        'application/json; charset=utf-16le',
        'application/json; charset=utf-32',
        'application/json; charset=nonsense',
        'application/json; foo=bar',
        'application/json;;',
        'application/json; charset=',
        'application/vnd.api+json',
        'application/merge-patch+json',
        'text/json',
        'text/plain',
        'text/plain; charset=utf-8',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=xyz',
        'application/octet-stream',
        '*/*',
        'application/*',
        '',
        ';',
        'application',
        'json',
      ),
      weight: 6,
    },
    { arbitrary: headerValue(60), weight: 1 },
  ),
  { freq: 6 },
);

const accept = fc.oneof(
  { arbitrary: fc.constant(null), weight: 3 },
  fc.oneof(
    fc.constantFrom(
      'application/json',
      '*/*',
      'application/*',
      'text/html',
      'text/html, application/json;q=0.1',
      'application/json;q=0',
      'text/*',
      'application/xml',
      '',
      ',,,',
      'application/json; charset=utf-8',
      'image/png;q=1, */*;q=0',
    ),
    headerValue(40),
  ),
);

const contentEncoding = fc.option(fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-nonsense', 'gzip, deflate', 'GZIP'), { freq: 8 });

function keyVariant(seeded: () => { write: Seeded; read: Seeded }) {
  return fc.oneof(
    { arbitrary: fc.constant(() => seeded().write.apiKey), weight: 6 },
    { arbitrary: fc.constant(() => seeded().read.apiKey), weight: 1 },
    { arbitrary: fc.constant(() => ` ${seeded().write.apiKey}\t`), weight: 1 },
    { arbitrary: fc.constant(() => seeded().write.apiKey.toUpperCase()), weight: 1 },
    { arbitrary: fc.constant(() => seeded().write.apiKey.slice(0, -1)), weight: 1 },
    { arbitrary: fc.constant(() => `${seeded().write.apiKey}x`), weight: 1 },
    { arbitrary: fc.constant(() => `${seeded().write.apiKey}, ${seeded().write.apiKey}`), weight: 1 },
    { arbitrary: headerValue(80).map((v) => () => v), weight: 2 },
    { arbitrary: headerValue(40).map((v) => () => `cat_${v}`), weight: 1 },
    { arbitrary: fc.constant(() => 'cat_' + 'A'.repeat(4000)), weight: 1 },
  );
}

function authorizationVariant(seeded: () => { write: Seeded; read: Seeded }) {
  return fc.oneof(
    fc.constant(() => `Bearer ${seeded().write.apiKey}`),
    fc.constant(() => `bearer   ${seeded().write.apiKey}  `),
    fc.constant(() => `Bearer ${seeded().read.apiKey}`),
    fc.constant(() => `Basic ${Buffer.from(`user:${seeded().write.apiKey}`).toString('base64')}`),
    fc.constant(() => 'Bearer'),
    fc.constant(() => `Bearer ${seeded().write.apiKey} extra`),
    headerValue(60).map((v) => () => v),
  );
}

/** Mostly absent; else unique, reused, too long, empty, with spaces or Latin-1. */
const idempotencyKey = fc.oneof(
  { arbitrary: fc.constant(null), weight: 6 },
  fc.uuid(),
  headerValue(20),
  fc.string({ unit: 'grapheme-ascii', minLength: 250, maxLength: 260 }),
  fc.constantFrom('', ' ', 'a b', 'same-key-1', 'same-key-2', 'x'.repeat(255), 'x'.repeat(256), 'ü'),
);

/** Raw bodies: bytes, text, broken and odd JSON, encodings. */
const rawBody: fc.Arbitrary<{ bytes: Buffer; note: string }> = fc.oneof(
  fc.uint8Array({ maxLength: 512 }).map((b) => ({ bytes: Buffer.from(b), note: 'bytes' })),
  fc.string({ unit: 'binary', maxLength: 200 }).map((s) => ({ bytes: Buffer.from(s), note: 'text' })),
  fc.tuple(createBody, fc.nat()).map(([body, cut]) => {
    const json = JSON.stringify(body);
    return { bytes: Buffer.from(json.slice(0, cut % (json.length + 1))), note: 'truncated json' };
  }),
  createBody.map((body) => ({ bytes: Buffer.from(JSON.stringify(body)), note: 'json' })),
  fc.nat(1_000_000).map((n) => ({ bytes: Buffer.from(JSON.stringify(validBody(`raw${n}`))), note: 'valid json' })),
  fc.nat(1_000_000).map((n) => ({ bytes: Buffer.from(`\ufeff${JSON.stringify(validBody(`bom${n}`))}`), note: 'json with BOM' })),
  fc.nat(1_000_000).map((n) => ({ bytes: Buffer.from(JSON.stringify(validBody(`u16${n}`)), 'utf16le'), note: 'utf-16le json' })),
  fc.nat(1_000_000).map((n) => ({ bytes: gzipSync(JSON.stringify(validBody(`gz${n}`))), note: 'gzip json' })),
  fc.nat(1_000_000).map((n) => ({ bytes: deflateSync(JSON.stringify(validBody(`df${n}`))), note: 'deflate json' })),
  fc
    .constantFrom(
      '',
      'null',
      'true',
      '0',
      '"string"',
      '[]',
      '{}',
      '[{"firstName":"A"}]',
      '{"firstName":"A","firstName":"B"}',
      '{"a":1}{"b":2}',
      '{"firstName":"Julie",}',
      "{'firstName':'Julie'}",
      '{"firstName":"\\ud800","lastName":"x","email":"a@example.org","ticketTypeId":"free"}',
      '{"firstName":"NaN","lastName":NaN}',
      '{"__proto__":{"isAdmin":true},"firstName":"P","lastName":"P","email":"p@example.org","ticketTypeId":"free"}',
      '{"constructor":{"prototype":{"isAdmin":true}}}',
      `${'['.repeat(5000)}${']'.repeat(5000)}`,
      `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`,
      `{"firstName":"${'x'.repeat(33_000)}"}`,
      `{"firstName":"${'x'.repeat(32 * 1024 - 20)}"}`,
      '\u0000\u0000\u0000',
    )
    .map((s) => ({ bytes: Buffer.from(s), note: 'fixed' })),
  fc
    .uint8Array({ minLength: 1, maxLength: 64 })
    .map((b) => ({ bytes: gzipSync(Buffer.from(b)).subarray(0, 10 + (b[0]! % 10)), note: 'broken gzip' })),
);

function histogram(counts: Map<string, number>): string {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

for (const { dialect, skip } of DIALECTS) {
  describe(`fuzzed input on ${dialect}`, { skip }, () => {
    let backend: TestBackend;
    let write: Seeded;
    let read: Seeded;
    const seeded = () => ({ write, read });
    /** Every 201 we were sent that was not a replay: id → the registration in the answer. */
    const created = new Map<string, Registration>();

    before(async () => {
      backend = await startBackend({ dialect });
      write = await seedConference(backend.store, { fields: FUZZ_FIELDS, capacity: null });
      read = await seedConference(backend.store, { name: 'Read only' }, { scopes: ['registrations:read'] });
    });
    after(async () => backend?.close());

    function record(response: RawResponse, counts: Map<string, number>, context: string) {
      const outcome = assertSaneResponse(response, context);
      counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
      if (response.status === 201 && response.headers['idempotent-replayed'] !== 'true') {
        const data = JSON.parse(response.text).data as Registration;
        assert.ok(!created.has(data.id), `id ${data.id} answered twice as new`);
        created.set(data.id, data);
      }
    }

    it(`arbitrary create bodies as JSON never give a 5xx (${RUNS} runs, seed ${SEED})`, async (t) => {
      const counts = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(createBody, idempotencyKey, async (body, key) => {
          const json = JSON.stringify(body);
          const headers: [string, string][] = [
            ['Content-Type', 'application/json'],
            ['X-API-Key', write.apiKey],
          ];
          if (key !== null) headers.push(['Idempotency-Key', key]);
          const response = await rawRequest(backend.url, { path: CREATE, headers, body: json });
          record(response, counts, `for body ${json.slice(0, 500)}`);
        }),
        { numRuns: RUNS, seed: SEED, includeErrorInReport: true },
      );
      t.diagnostic(`outcomes: ${histogram(counts)}`);
      assert.ok((counts.get('created') ?? 0) >= 5, `too few bodies were accepted for the property to mean much: ${histogram(counts)}`);
      assert.ok((counts.get('validation_failed') ?? 0) >= 5, `too few bodies were refused: ${histogram(counts)}`);
    });

    it(`arbitrary raw bodies, content types and headers never give a 5xx (${RUNS} runs, seed ${SEED})`, async (t) => {
      const counts = new Map<string, number>();
      const request = fc.record({
        method: fc.oneof({ arbitrary: fc.constant('POST'), weight: 12 }, fc.constantFrom('PUT', 'PATCH', 'DELETE')),
        body: rawBody,
        contentType,
        accept,
        contentEncoding,
        apiKey: fc.oneof(
          { arbitrary: fc.constant(() => write.apiKey), weight: 6 },
          { arbitrary: fc.constant(null), weight: 1 },
          keyVariant(seeded),
        ),
        authorization: fc.option(authorizationVariant(seeded), { freq: 2 }),
        idempotencyKey,
        chunked: fc.boolean(),
      });
      await fc.assert(
        fc.asyncProperty(request, async (r) => {
          const headers: [string, string][] = [];
          if (r.contentType !== null) headers.push(['Content-Type', r.contentType]);
          if (r.accept !== null) headers.push(['Accept', r.accept]);
          if (r.contentEncoding !== null) headers.push(['Content-Encoding', r.contentEncoding]);
          if (r.apiKey !== null) headers.push(['X-API-Key', r.apiKey()]);
          if (r.authorization !== null) headers.push(['Authorization', r.authorization()]);
          if (r.idempotencyKey !== null) headers.push(['Idempotency-Key', r.idempotencyKey]);
          const response = await rawRequest(backend.url, {
            method: r.method,
            path: CREATE,
            headers,
            body: r.body.bytes,
            chunked: r.chunked,
          });
          const context = `for ${r.method} ${r.body.note} ${JSON.stringify(r.body.bytes.toString('latin1').slice(0, 300))} headers ${JSON.stringify(headers)} chunked=${r.chunked}`;
          record(response, counts, context);
          if (response.status === 406) assert.ok(r.accept !== null, `406 without an Accept header ${context}`);
          if (response.status === 405) assert.notEqual(r.method, 'POST');
        }),
        {
          numRuns: RUNS,
          seed: SEED,
          includeErrorInReport: true,
          // A plain valid create always runs too, whatever the seed draws, so "accepted" below
          // says the server takes a good raw body rather than how lucky the draw was.
          examples: [
            [
              {
                method: 'POST',
                body: { bytes: Buffer.from(JSON.stringify(validBody('example'))), note: 'valid json' },
                contentType: 'application/json',
                accept: null,
                contentEncoding: null,
                apiKey: () => write.apiKey,
                authorization: null,
                idempotencyKey: null,
                chunked: false,
              },
            ],
          ],
        },
      );
      t.diagnostic(`outcomes: ${histogram(counts)}`);
      assert.ok((counts.get('created') ?? 0) >= 1, `no raw body was ever accepted: ${histogram(counts)}`);
    });

    it('inputs the fuzz once turned into 500s or bad rows get their 4xx', async () => {
      const json = (body: string, extra: [string, string][] = []) =>
        rawRequest(backend.url, {
          path: CREATE,
          headers: [['Content-Type', 'application/json'], ['X-API-Key', write.apiKey], ...extra],
          body,
        });
      const valid = JSON.stringify(validBody('regression'));
      const cases: [string, Promise<RawResponse>, string][] = [
        // The field-error builder once used `{}` and `fields.__proto__` is Object.prototype: TypeError, 500.
        // Now refused while parsing: zod drops such keys silently, so they never reach a schema.
        ['a top-level "__proto__" key', json(`{"__proto__":{"x":1},${valid.slice(1)}`), 'invalid_json'],
        // zod's record dropped the key and the registration was created: an unknown field accepted.
        ['a "__proto__" custom field', json(`{"customFields":{"__proto__":"x"},${valid.slice(1)}`), 'invalid_json'],
        // zlib's error reached the error middleware untyped: 500.
        ['a gzip body that does not inflate', json('not gzip at all', [['Content-Encoding', 'gzip']]), 'invalid_json'],
        ['a deflate body that does not inflate', json('not deflate', [['Content-Encoding', 'deflate']]), 'invalid_json'],
        ['a br body that does not decompress', json(deflateSync(valid).toString('latin1'), [['Content-Encoding', 'br']]), 'invalid_json'],
        // A lone surrogate was accepted, answered as sent, and stored as U+FFFD.
        ['a lone surrogate in a name', json(valid.replace('"Valid"', '"Va\\ud800lid"')), 'invalid_json'],
        ['a lone surrogate in a key', json(`{"\\udfff":1,${valid.slice(1)}`), 'invalid_json'],
      ];
      for (const [name, pending, code] of cases) {
        const response = await pending;
        assert.equal(assertSaneResponse(response, name), code, `${name}: ${response.text}`);
      }
      // A gzip body that does inflate is fine.
      const gz = await rawRequest(backend.url, {
        path: CREATE,
        headers: [
          ['Content-Type', 'application/json'],
          ['Content-Encoding', 'gzip'],
          ['X-API-Key', write.apiKey],
        ],
        body: gzipSync(JSON.stringify(validBody('gzipped'))),
      });
      record(gz, new Map(), 'gzip');
      assert.equal(gz.status, 201, gz.text);
    });

    it('every stored row is valid, and is what its 201 said', async () => {
      const rows = await assertStoredRowsValid(backend);
      assert.equal(rows.length, created.size, 'rows stored without a 201, or 201s without a row');
      for (const row of rows) {
        const answered = created.get(row.id);
        assert.ok(answered, `row ${row.id} was never answered with a 201`);
        assert.deepEqual(row, answered, `row ${row.id} differs from its 201`);
      }
      assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype was polluted');
      assert.equal(({} as Record<string, unknown>).isAdmin, undefined, 'Object.prototype was polluted');
    });

    it('nothing was logged as an unexpected error', () => {
      const errors = backend.logs.filter((line) => JSON.parse(line).level >= 50);
      assert.deepEqual(errors, []);
    });
  });
}

// A conference whose custom-field keys shadow Object.prototype members ("constructor",
// "toString") must treat an absent value as absent, not as the inherited function.
for (const { dialect, skip } of DIALECTS) {
  describe(`custom-field keys named like Object.prototype members on ${dialect}`, { skip }, () => {
    it('an optional field keyed "constructor" or "toString" does not block registration', async () => {
      const backend = await startBackend({ dialect });
      try {
        const seeded = await seedConference(backend.store, {
          fields: [
            { key: 'constructor', label: 'Constructor', type: 'text' },
            { key: 'toString', label: 'To string', type: 'text' },
          ],
        });
        const response = await rawRequest(backend.url, {
          path: CREATE,
          headers: [
            ['Content-Type', 'application/json'],
            ['X-API-Key', seeded.apiKey],
          ],
          body: JSON.stringify(validBody('proto')),
        });
        assert.equal(response.status, 201, response.text);
      } finally {
        await backend.close();
      }
    });
  });
}
