import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { API_BASE } from '../../backend/app.js';
import { generateApiKey, revokeApiKey } from '../../backend/services/api-keys.js';
import type { ErrorCode } from '../../contract/index.js';
import { DIALECTS } from '../helpers/database.js';
import { seedConference, startBackend, type StartOptions, type TestBackend } from '../helpers/backend.js';
import { assertErrorResponse, leakIn, rawRequest, type RawRequest, type RawResponse } from './fuzz-support.js';

/**
 * Nothing in any response (body or headers) holds the API key, a stack trace or SQL, and no
 * log line holds the key, a stack trace, SQL or the personal data a client sent (SPEC §2,
 * issue 2), across successes, every error class of the table and failures on our side.
 */

const CREATE = `${API_BASE}/registrations/registrations`;
const LIST = `${API_BASE}/registrations/registrations`;
const CONFIG = `${API_BASE}/registrations/config`;

/** Personal data that is sent in bodies and query strings, and must never reach a log line. */
const PERSONAL = ['Zebulon', 'Quistgaard', 'leak-check.example', 'Ximena', 'Oyelaran-Brandt'];
const personal = (n: number | string, overrides: Record<string, unknown> = {}) => ({
  firstName: 'Zebulon',
  lastName: `Quistgaard${n}`,
  email: `zebulon.quistgaard${n}@leak-check.example`,
  ticketTypeId: 'free',
  ...overrides,
});

/**
 * In logs: SQL statements and driver messages. A driver's error *code* (SQLITE_ERROR, 42P01)
 * may be logged next to the error id on purpose; its message, which can quote SQL, may not.
 */
const SQL_IN_LOGS = [
  /\b(select|insert|update|delete)\b.*\b(from|into|set)\b|syntax error|no such table|does not exist|relation "/i,
  /sqlite_[a-z]/,
];
/** The escaped form of a stack inside a JSON log line. */
const ESCAPED_STACK = /\\n\s+at /;

interface Exchange {
  label: string;
  response: RawResponse;
}

/**
 * One backend at a time, closed before the next starts (its log lines are kept): the
 * PostgreSQL migrator sees kysely's tables in every schema of the database, so a second
 * schema migrated while another test schema exists can fail (reported to the lead).
 */
async function withBackend(options: StartOptions, logs: string[][], work: (backend: TestBackend) => Promise<void>): Promise<void> {
  const backend = await startBackend(options);
  logs.push(backend.logs);
  try {
    await work(backend);
  } finally {
    await backend.close();
  }
}

for (const { dialect, skip } of DIALECTS) {
  describe(`no leaks in answers or logs on ${dialect}`, { skip }, () => {
    it('every answer class, and the failures on our side, leak no key, stack, SQL or personal data', async () => {
      const exchanges: Exchange[] = [];
      const logs: string[][] = [];
      const secrets: string[] = [generateApiKey()];
      const unknownKey = secrets[0]!;
      const send = async (label: string, backend: TestBackend, request: RawRequest): Promise<RawResponse> => {
        const response = await rawRequest(backend.url, request);
        exchanges.push({ label, response });
        return response;
      };
      const json = (key: string | null, extra: [string, string][] = []): [string, string][] => [
        ['Content-Type', 'application/json'],
        ...(key ? ([['X-API-Key', key]] as [string, string][]) : []),
        ...extra,
      ];
      const post = (label: string, backend: TestBackend, key: string | null, body: unknown, extra: [string, string][] = []) =>
        send(label, backend, {
          path: CREATE,
          headers: json(key, extra),
          body: typeof body === 'string' ? body : JSON.stringify(body),
        });
      const get = (label: string, backend: TestBackend, key: string | null, path: string, extra: [string, string][] = []) =>
        send(label, backend, { method: 'GET', path, headers: [...(key ? ([['X-API-Key', key]] as [string, string][]) : []), ...extra] });

      await withBackend({ dialect }, logs, async (main) => {
        const open = await seedConference(main.store, { capacity: null });
        const readOnly = await seedConference(main.store, { name: 'Read only' }, { scopes: ['registrations:read'] });
        const draft = await seedConference(main.store, { status: 'draft' });
        const full = await seedConference(main.store, { capacity: 1 });
        const soldOut = await seedConference(main.store, {
          ticket_types: [{ id: 'free', name: 'Free', capacity: 1, prices: { 'early-bird': 0 } }],
        });
        const closedReg = await seedConference(main.store, { registration_closes_at: '2001-01-01T00:00:00Z' });
        const noPricing = await seedConference(main.store, {
          phases: [{ id: 'early-bird', name: 'Early bird', starts_at: '2000-01-01T00:00:00Z', ends_at: '2001-01-01T00:00:00Z' }],
        });
        const expired = await seedConference(main.store, { name: 'Expired key' }, { expiresAt: '2001-01-01T00:00:00Z' });
        const revoked = await seedConference(main.store, { name: 'Revoked key' });
        assert.ok(await revokeApiKey(main.store.db, revoked.keyId, new Date()));
        secrets.push(...[open, readOnly, draft, full, soldOut, closedReg, noPricing, expired, revoked].map((seeded) => seeded.apiKey));

        // Successes.
        const created = await post('create', main, open.apiKey, personal(1, { customFields: { dietary: 'Vegan' } }));
        assert.equal(created.status, 201, created.text);
        const id = JSON.parse(created.text).data.id as string;
        await post('create, bearer', main, null, personal(2), [['Authorization', `Bearer ${open.apiKey}`]]);
        await post(
          'create, paid',
          main,
          open.apiKey,
          personal(3, { ticketTypeId: 'standard', paymentMethodId: 'bank', paymentReference: 'TXN-Zebulon-1' }),
        );
        await get('config', main, open.apiKey, CONFIG);
        await get(
          'list with personal data in the query',
          main,
          open.apiKey,
          `${LIST}?limit=2&email=zebulon.quistgaard1@leak-check.example&q=Ximena+Oyelaran-Brandt`,
        );
        await get('one', main, open.apiKey, `${LIST}/${id}`);
        await post('create, idempotent', main, open.apiKey, personal(4), [['Idempotency-Key', 'zebulon-key-1']]);
        await post('create, idempotent replay', main, open.apiKey, personal(4), [['Idempotency-Key', 'zebulon-key-1']]);
        await get('healthz', main, null, '/healthz');
        await get('readyz', main, null, '/readyz');

        // Every error class of the table we can provoke from outside.
        await post('invalid_json', main, open.apiKey, '{"firstName":"Zebulon","lastName":"Quistgaard');
        await post(
          'validation_failed',
          main,
          open.apiKey,
          personal(5, { email: 'zebulon.quistgaard5 at leak-check.example', extra: 'Ximena' }),
        );
        await post('validation_failed (query-ish key)', main, open.apiKey, { ...personal(6), "Ximena' OR 1=1 --": 1 });
        await get('validation_failed (list query)', main, open.apiKey, `${LIST}?limit=Ximena&cursor=Oyelaran-Brandt`);
        await post('missing_api_key', main, null, personal(7));
        await post('invalid_api_key (unknown)', main, unknownKey, personal(8));
        await post('invalid_api_key (malformed)', main, 'cat_Zebulon', personal(8));
        await post('invalid_api_key (expired)', main, expired.apiKey, personal(8));
        await post('invalid_api_key (revoked)', main, revoked.apiKey, personal(8));
        await post('invalid_api_key (bearer)', main, null, personal(8), [['Authorization', `Bearer ${unknownKey}`]]);
        await post('insufficient_scope', main, readOnly.apiKey, personal(9));
        await post('conference_not_live', main, draft.apiKey, personal(10));
        await get('not_found (registration)', main, open.apiKey, `${LIST}/r_nope`);
        await get('not_found (path)', main, open.apiKey, `${API_BASE}/nothing/here?email=zebulon@leak-check.example`);
        await get('not_found (bad %-encoding)', main, open.apiKey, `${LIST}/%E0%A4%A`);
        await post('registration_closed', main, closedReg.apiKey, personal(11));
        await send('method_not_allowed', main, { method: 'DELETE', path: `${LIST}/${id}`, headers: [['X-API-Key', open.apiKey]] });
        await post('not_acceptable', main, open.apiKey, personal(12), [['Accept', 'text/html']]);
        await post('duplicate_registration', main, open.apiKey, personal(1));
        await post('event_full (first takes the seat)', main, full.apiKey, personal(13));
        await post('event_full', main, full.apiKey, personal(14));
        await post('ticket_sold_out (first takes the ticket)', main, soldOut.apiKey, personal(15));
        await post('ticket_sold_out', main, soldOut.apiKey, personal(16));
        await post('payload_too_large', main, open.apiKey, personal(17, { customFields: { dietary: 'Zebulon'.repeat(6000) } }));
        await send('unsupported_media_type', main, {
          path: CREATE,
          headers: [
            ['Content-Type', 'text/plain'],
            ['X-API-Key', open.apiKey],
          ],
          body: JSON.stringify(personal(18)),
        });
        await post('unknown_ticket_type', main, open.apiKey, personal(19, { ticketTypeId: 'Zebulon' }));
        await post('unknown_payment_method', main, open.apiKey, personal(20, { ticketTypeId: 'standard', paymentMethodId: 'Zebulon' }));
        await post('payment_method_required', main, open.apiKey, personal(21, { ticketTypeId: 'standard' }));
        await post('pricing_closed', main, noPricing.apiKey, personal(22));
        await post('idempotency_key_reused', main, open.apiKey, personal(23), [['Idempotency-Key', 'zebulon-key-1']]);
        // 409 idempotency_key_in_use needs two requests in flight at once: tried, not required.
        await Promise.all(
          Array.from({ length: 6 }, () =>
            post('idempotency_key_in_use (maybe)', main, open.apiKey, personal(24), [['Idempotency-Key', 'zebulon-key-2']]),
          ),
        );
      });

      await withBackend({ dialect, rateLimitPerMinute: 2 }, logs, async (limited) => {
        const seeded = await seedConference(limited.store);
        secrets.push(seeded.apiKey);
        for (let i = 0; i < 3; i++) await get('rate_limited', limited, seeded.apiKey, CONFIG);
      });

      // Failures on our side: a driver error that quotes SQL (a table gone), and a closed database.
      await withBackend({ dialect }, logs, async (broken) => {
        const seeded = await seedConference(broken.store);
        secrets.push(seeded.apiKey);
        await broken.store.db.schema.dropTable('ticket_sales').execute();
        await post('internal_error (table gone)', broken, seeded.apiKey, personal(25));
        await broken.store.db.schema.dropTable('registrations').execute();
        await get('internal_error (table gone, list)', broken, seeded.apiKey, `${LIST}?email=zebulon@leak-check.example`);
      });
      await withBackend({ dialect }, logs, async (closed) => {
        const seeded = await seedConference(closed.store);
        secrets.push(seeded.apiKey);
        await closed.store.db.destroy();
        await post('internal_error (database closed)', closed, seeded.apiKey, personal(26));
        await get('not_ready (database closed)', closed, null, '/readyz');
      });

      // Every code of the table came up (idempotency_key_in_use only when the race was won).
      const codes = new Set<string>();
      for (const { label, response } of exchanges) {
        if (response.status < 400) continue;
        codes.add(assertErrorResponse(response.status, response.headers['content-type'], response.text, label));
      }
      const expected: ErrorCode[] = [
        'invalid_json',
        'validation_failed',
        'missing_api_key',
        'invalid_api_key',
        'insufficient_scope',
        'conference_not_live',
        'not_found',
        'registration_closed',
        'method_not_allowed',
        'not_acceptable',
        'duplicate_registration',
        'event_full',
        'ticket_sold_out',
        'payload_too_large',
        'unsupported_media_type',
        'unknown_ticket_type',
        'unknown_payment_method',
        'payment_method_required',
        'pricing_closed',
        'idempotency_key_reused',
        'rate_limited',
        'internal_error',
        'not_ready',
      ];
      assert.deepEqual(
        expected.filter((code) => !codes.has(code)),
        [],
        `codes seen: ${[...codes].join(', ')}`,
      );
      for (const { label, response } of exchanges) {
        const code = response.status >= 400 ? (JSON.parse(response.text).error.code as string) : 'ok';
        if (label.startsWith('internal_error') || label.startsWith('not_ready')) assert.equal(code, label.split(' ')[0], label);
      }

      // No answer holds a key, a stack or SQL: body and every header.
      for (const { label, response } of exchanges) {
        const headers = Object.entries(response.headers)
          .map(([name, value]) => `${name}: ${String(value)}`)
          .join('\n');
        const leak = leakIn(`${headers}\n\n${response.text}`, secrets);
        assert.equal(leak, null, `${label}: the answer holds a ${leak}: ${response.text.slice(0, 300)}`);
      }

      // The 500 body is exactly { error: { code, message, details: { error_id } } }, and the
      // log line for it carries the same id.
      const internal = exchanges.filter((e) => e.response.status === 500);
      assert.equal(internal.length, 3);
      for (const { label, response } of internal) {
        const body = JSON.parse(response.text);
        assert.deepEqual(Object.keys(body), ['error'], label);
        assert.deepEqual(Object.keys(body.error).sort(), ['code', 'details', 'message'], label);
        assert.equal(body.error.code, 'internal_error');
        assert.deepEqual(Object.keys(body.error.details), ['error_id'], label);
        const errorId = body.error.details.error_id as string;
        assert.match(errorId, /^[0-9a-f-]{36}$/);
        const lines = logs.flat().filter((line) => line.includes(errorId));
        assert.equal(lines.length, 1, `${label}: no single log line with error id ${errorId}`);
        assert.equal(JSON.parse(lines[0]!).errorId, errorId);
      }

      // No log line holds a key, a stack, SQL, or the personal data and query strings sent.
      assert.ok(logs.flat().length >= exchanges.length, 'every request is logged');
      for (const line of logs.flat()) {
        const leak = leakIn(line, [...secrets, ...PERSONAL, 'zebulon-key', 'TXN-Zebulon', 'limit=', '?'], { sql: SQL_IN_LOGS });
        assert.equal(leak, null, `a log line holds a ${leak}: ${line}`);
        assert.doesNotMatch(line, ESCAPED_STACK, `a log line holds a stack: ${line}`);
      }
    });
  });
}
