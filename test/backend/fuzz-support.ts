import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import fc from 'fast-check';
import { CreateRegistration, ERROR_STATUS, ErrorBody, Registration, checkCustomFields, type Conference } from '../../contract/index.js';
import { configFields } from '../../backend/services/registration-config.js';
import { toRegistration } from '../../backend/services/registrations.js';
import { conferenceFile, type TestBackend } from '../helpers/backend.js';
import { strict } from '../helpers/strict-contract.js';

/** What came back: status, headers (lower-case names) and the body as text. */
export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

export interface RawRequest {
  method?: string;
  /** Path below the server root, e.g. `/api/public/v1/registrations/registrations`. */
  path: string;
  /** Sent as given (valid HTTP names and values; one value per name, the last one wins). */
  headers?: [string, string][];
  body?: Buffer | string;
  /** Sends the body in pieces with `Transfer-Encoding: chunked` and no Content-Length. */
  chunked?: boolean;
}

/**
 * One request through node:http, so that headers, Content-Length and chunking are ours to
 * choose (fetch adds and normalises some). A fresh connection per request: a server that
 * closes after an error must not spoil the next request.
 */
export function rawRequest(baseUrl: string, request: RawRequest): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    let answered = false;
    const headers: [string, string][] = [...(request.headers ?? [])];
    const body = request.body === undefined ? undefined : Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body, 'utf8');
    const hasLength = headers.some(([name]) => name.toLowerCase() === 'content-length');
    if (body && !request.chunked && !hasLength) headers.push(['Content-Length', String(body.length)]);
    if (request.chunked) headers.push(['Transfer-Encoding', 'chunked']);
    const req = http.request({
      host: url.hostname,
      port: url.port,
      method: request.method ?? 'POST',
      path: request.path,
      agent: false,
      headers: Object.fromEntries(headers),
    });
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    // The server may answer (413, 415) and close before the whole body is written: that
    // EPIPE / ECONNRESET is expected once an answer has arrived.
    req.on('error', (error) => {
      if (!answered) setTimeout(() => (answered ? undefined : reject(error)), 200);
    });
    if (body && request.chunked) {
      const piece = 4096;
      for (let i = 0; i < body.length; i += piece) req.write(body.subarray(i, i + piece));
    } else if (body) {
      req.write(body);
    }
    req.end();
  });
}

/**
 * Bytes written on a plain TCP socket, for what no HTTP client will send (a Content-Length
 * that lies). Resolves with everything the server sent until it closed or went quiet.
 * `leave` ends our side after the bytes (a client that goes away): the server has read them
 * all once it closes in turn, which is what the caller then waits for, not a fixed time.
 */
export function socketRequest(baseUrl: string, bytes: Buffer | string, quietMs = 1500, { leave = false } = {}): Promise<string> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: url.hostname, port: Number(url.port) });
    const chunks: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const quiet = () => {
      clearTimeout(timer);
      timer = setTimeout(finish, quietMs);
    };
    socket.on('connect', () => {
      if (leave) socket.end(bytes);
      else socket.write(bytes);
      quiet();
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      quiet();
    });
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (chunks.length || error.code === 'ECONNRESET' || error.code === 'EPIPE') finish();
      else reject(error);
    });
  });
}

/** The HTTP responses in a raw byte stream: status and body of each (Content-Length framed). */
export function splitResponses(raw: string): { status: number; head: string; body: string }[] {
  const out: { status: number; head: string; body: string }[] = [];
  let rest = raw;
  while (rest.startsWith('HTTP/1.1 ')) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) break;
    const head = rest.slice(0, end);
    const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
    const bodyBytes = Buffer.from(rest.slice(end + 4), 'utf8');
    const body = bodyBytes.subarray(0, length).toString('utf8');
    out.push({ status: Number(head.slice(9, 12)), head, body });
    rest = bodyBytes.subarray(length).toString('utf8');
  }
  return out;
}

/**
 * Every non-2xx answer is `{ error: { code, message, details? } }`, JSON, and its status is
 * the one the errors table (contract ERROR_STATUS) gives its code. Returns the code.
 */
export function assertErrorResponse(status: number, contentType: string | undefined, text: string, context = ''): string {
  assert.match(contentType ?? '', /^application\/json/, `${status} without a JSON content type ${context}`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    assert.fail(`${status} body is not JSON: ${text.slice(0, 200)} ${context}`);
  }
  const parsed = ErrorBody.safeParse(body);
  assert.ok(parsed.success, `${status} body is not an error body: ${text.slice(0, 300)} ${context}`);
  assert.deepEqual(Object.keys(body as object), ['error'], `extra top-level keys ${context}`);
  const { code } = parsed.data.error;
  assert.ok(Object.hasOwn(ERROR_STATUS, code), `unknown error code ${code} ${context}`);
  assert.equal(ERROR_STATUS[code as keyof typeof ERROR_STATUS], status, `code ${code} came with status ${status} ${context}`);
  assert.ok(parsed.data.error.message.length > 0, `empty message ${context}`);
  return code;
}

/** Never 5xx; a 2xx is 201 with `{ data: Registration }`; anything else the error shape. */
export function assertSaneResponse(response: RawResponse, context = ''): string {
  assert.ok(response.status < 500, `got ${response.status}: ${response.text.slice(0, 300)} ${context}`);
  if (response.status >= 200 && response.status < 300) {
    assert.equal(response.status, 201, `unexpected success status ${response.status} ${context}`);
    const parsed = strict(Registration).safeParse(JSON.parse(response.text).data);
    assert.ok(parsed.success, `201 body is not a Registration: ${response.text.slice(0, 300)} ${context}`);
    return 'created';
  }
  return assertErrorResponse(response.status, response.headers['content-type'], response.text, context);
}

/**
 * Every stored registration is one the API could have accepted: it reads back as a valid
 * Registration, its input fields pass CreateRegistration again unchanged (so limits, control
 * characters and the e-mail rule held), and its custom fields fit the conference's config.
 */
export async function assertStoredRowsValid(backend: TestBackend): Promise<Registration[]> {
  const rows = await backend.store.db.selectFrom('registrations').selectAll().execute();
  const conferences = new Map<string, Conference>();
  for (const c of await backend.store.db.selectFrom('conferences').select(['id', 'doc']).execute()) {
    conferences.set(c.id, { ...JSON.parse(c.doc), id: c.id });
  }
  const out: Registration[] = [];
  for (const row of rows) {
    const registration = toRegistration(row);
    const parsed = strict(Registration).safeParse(registration);
    assert.ok(parsed.success, `stored row ${row.id} is not a valid Registration: ${JSON.stringify(parsed.error?.issues)}`);
    const input = {
      firstName: registration.firstName,
      lastName: registration.lastName,
      email: registration.email,
      ticketTypeId: registration.ticketTypeId,
      ...(registration.paymentMethodId !== undefined ? { paymentMethodId: registration.paymentMethodId } : {}),
      ...(registration.paymentReference !== undefined ? { paymentReference: registration.paymentReference } : {}),
      ...(registration.paymentProofUrl !== undefined ? { paymentProofUrl: registration.paymentProofUrl } : {}),
      customFields: registration.customFields,
      ...(registration.region !== undefined ? { region: registration.region } : {}),
    };
    const again = CreateRegistration.safeParse(input);
    assert.ok(
      again.success,
      `stored row ${row.id} breaks CreateRegistration: ${JSON.stringify(again.error?.issues)} ${JSON.stringify(input)}`,
    );
    assert.deepEqual(again.data, input, `stored row ${row.id} is not in its normal form (untrimmed?)`);
    assert.ok(registration.firstName.length >= 1 && registration.firstName.length <= 32, `first name length ${row.id}`);
    assert.ok(registration.lastName.length >= 1 && registration.lastName.length <= 32, `last name length ${row.id}`);
    assert.ok(registration.email.length <= 128, `email length ${row.id}`);
    assert.ok([registration.firstName, registration.lastName, registration.email].every(wellFormed), `lone surrogate stored ${row.id}`);
    const conference = conferences.get(row.conference_id);
    assert.ok(conference, `row ${row.id} of an unknown conference`);
    const custom = checkCustomFields(configFields(conference), registration.customFields);
    assert.ok(custom.ok, `stored custom fields of ${row.id} do not fit the config: ${JSON.stringify(custom)}`);
    out.push(registration);
  }
  return out;
}

/** No lone surrogate (String.prototype.isWellFormed, which this TS lib does not type yet). */
const wellFormed = (value: string) => !/\p{Surrogate}/u.test(value);

// ---------------------------------------------------------------------------------------------
// Leak detection

/** A V8 stack frame, or Node's internals. */
export const STACK_TRACE = /\bat .+\(.*:\d+:\d+\)|node:internal|\n\s+at /;
/** An SQL statement or a driver's error text. */
export const SQL_TEXT = /\b(select|insert|update|delete)\b.*\b(from|into|set)\b|syntax error|no such table|sqlite_|SQLITE/i;

/** What a response (body and headers) or a log line must never hold; returns the first found. */
export function leakIn(text: string, secrets: readonly string[], options: { sql?: RegExp[] } = {}): string | null {
  for (const secret of secrets) if (secret && text.includes(secret)) return `secret ${JSON.stringify(secret)}`;
  if (STACK_TRACE.test(text)) return `stack trace (${STACK_TRACE.exec(text)?.[0]})`;
  for (const sql of options.sql ?? [SQL_TEXT]) if (sql.test(text)) return `SQL (${sql.exec(text)?.[0]})`;
  return null;
}

// ---------------------------------------------------------------------------------------------
// Arbitraries

/** Strings that try to hurt: unicode, controls, bidi and zero-width, lone surrogates, SQL, huge. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ maxLength: 40 }), weight: 3 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 40 }), weight: 2 },
  {
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '   \t ',
      '\u0000',
      'a\u0000b',
      '\r\n',
      'Ju\nlie',
      '\u202eevil',
      '\u200b',
      '\u2028',
      '\ufeffJulie',
      '\ud800',
      'x\udfffy',
      "Robert'); DROP TABLE registrations;--",
      "' OR 1=1 --",
      '=cmd|"/c calc"!A1',
      '<script>alert(1)</script>',
      '${7*7}',
      '%s%n%x',
      '../../etc/passwd',
      'ＪＵＬＩＥ',
      'ß',
      'İ',
      '\u{1F600}'.repeat(20),
      'a'.repeat(32),
      'a'.repeat(33),
      ' '.repeat(10) + 'a'.repeat(32) + ' '.repeat(10),
      'b'.repeat(4097),
      'c'.repeat(30_000),
    ),
    weight: 3,
  },
);

/** E-mail-ish: valid addresses, nearly valid ones, and hostile strings. */
export const emailish: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.emailAddress(), weight: 4 },
  {
    arbitrary: fc.tuple(hostileString, fc.constantFrom('@example.org', '@', '@localhost', '@ex ample.org')).map(([a, b]) => a + b),
    weight: 2,
  },
  {
    arbitrary: fc.constantFrom(
      'julie@example.org',
      ' julie@example.org ',
      'JULIE@EXAMPLE.ORG',
      'julie@@example.org',
      'julie@example',
      'julie example@example.org',
      'julie@example.org\r\nBcc: x@example.org',
      `${'a'.repeat(120)}@example.org`,
      `${'a'.repeat(64)}@${'b'.repeat(63)}.org`,
      'ju\u0000lie@example.org',
      'jülie@exämple.org',
      '"quoted"@example.org',
    ),
    weight: 2,
  },
  { arbitrary: hostileString, weight: 1 },
);

/** Any JSON-ish value, for a string field that gets something else. */
export const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -0, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
  fc.constant('{"__proto__":{"polluted":true}}').map((s) => JSON.parse(s) as unknown),
  fc.constant([[[[[[[[[[[[[[[[[[[[['deep']]]]]]]]]]]]]]]]]]]]]),
);

/** A value for a string field: usually a string (hostile or not), sometimes another type. */
export const stringField = (valid: fc.Arbitrary<string>): fc.Arbitrary<unknown> =>
  fc.oneof({ arbitrary: valid, weight: 5 }, { arbitrary: hostileString, weight: 3 }, { arbitrary: wrongType, weight: 1 });

const validName: fc.Arbitrary<string> = fc.oneof(
  fc.string({ minLength: 1, maxLength: 20, unit: 'grapheme-composite' }),
  fc.stringMatching(/^[A-Z][a-z]{1,15}$/),
  fc.constantFrom('Julie', 'Aisha', 'José', 'Zoë', 'Łukasz', '王', 'Ωμέγα', "O'Brien", 'Anne-Marie'),
);

/** Keys that aim at prototypes and our own field names. */
export const nastyKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'valueOf',
    'hasOwnProperty',
    '',
    ' ',
    'dietary ',
    'DIETARY',
    'firstName',
    'k'.repeat(65),
    '\u0000',
    'a.b',
    'customFields.dietary',
  ),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
);

const customValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    'Vegetarian',
    'Vegan',
    'vegan',
    '',
    'Carnivore',
    true,
    false,
    0,
    42,
    -1,
    1e9,
    'TShirtM',
    '2027-05-10',
    '2027-02-30',
    'not-a-date',
  ),
  fc.array(fc.constantFrom('Talks', 'Workshops', 'Social', 'Nope', ''), { maxLength: 5 }),
  hostileString,
  wrongType,
);

/** `customFields`: the test conference's own fields (good and bad values), unknown and nasty keys. */
export const customFields: fc.Arbitrary<unknown> = fc.oneof(
  {
    arbitrary: fc.record(
      {
        dietary: fc.oneof(fc.constantFrom('Vegetarian', 'Vegan'), customValue),
        company: fc.oneof(validName, customValue),
        age: fc.oneof(fc.integer({ min: 0, max: 130 }), customValue),
        newsletter: fc.oneof(fc.boolean(), customValue),
        tracks: fc.oneof(fc.subarray(['Talks', 'Workshops', 'Social']), customValue),
        arrival: fc.oneof(fc.constantFrom('2027-05-09', '2027-05-10'), customValue),
        notes: fc.oneof(fc.string({ maxLength: 100 }), fc.constant('line one\nline two\ttab'), customValue),
      },
      { requiredKeys: [] },
    ),
    weight: 5,
  },
  { arbitrary: fc.dictionary(nastyKey, customValue, { maxKeys: 4 }), weight: 2 },
  {
    arbitrary: fc
      .constantFrom('{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}', '{"__proto__":["Vegan"]}')
      .map((s) => JSON.parse(s)),
    weight: 1,
  },
  { arbitrary: wrongType, weight: 1 },
);

const proofUrl = fc.oneof(
  fc.webUrl({ validSchemes: ['https'] }),
  fc.constantFrom(
    'https://example.com/receipt.png',
    'http://localhost/r.png',
    'http://example.com/r.png',
    'javascript:alert(1)',
    'data:text/html,x',
    'ftp://x/y',
    `https://example.com/${'a'.repeat(2100)}`,
    'https://',
  ),
);

/** Every key a create body may have, with a hostile or wrong-typed value for each. */
const hostileValue: Record<string, fc.Arbitrary<unknown>> = {
  firstName: stringField(validName),
  lastName: stringField(validName),
  email: stringField(emailish),
  ticketTypeId: stringField(fc.constantFrom('free', 'standard', 'nope', 'Free', 'free ', '', 'free\u0000')),
  paymentMethodId: stringField(fc.constantFrom('bank', 'card', 'Bank', '')),
  paymentReference: stringField(fc.oneof(fc.stringMatching(/^TXN-\d{1,8}$/), fc.constant('r'.repeat(65)))),
  paymentProofUrl: stringField(proofUrl),
  customFields: customFields,
  region: stringField(fc.constantFrom('nz', 'au', 'NZ', 'n', 'abcdefghi', 'n1')),
};

/**
 * A body the API should accept: a valid person (names from many scripts, generated e-mail
 * addresses) for the free ticket or the paid one with its payment fields, and valid custom
 * fields. Not every one is accepted (fast-check's e-mail addresses are RFC-valid, zod's rule
 * is narrower; the same person twice is a duplicate): that is fine, the answer is still checked.
 */
const plausibleBody: fc.Arbitrary<Record<string, unknown>> = fc
  .record({
    firstName: validName,
    lastName: validName,
    email: fc.oneof(
      { arbitrary: fc.emailAddress().filter((e) => e.length <= 128), weight: 1 },
      {
        arbitrary: fc
          .tuple(
            fc.stringMatching(/^[a-z][a-z0-9]{0,15}(\.[a-z0-9]{1,8})?$/),
            fc.nat(),
            fc.constantFrom('example.org', 'Example.COM', 'mail.example.co.nz'),
          )
          .map(([local, n, domain]) => `${local}${n}@${domain}`),
        weight: 4,
      },
    ),
    paid: fc.boolean(),
    paymentReference: fc.stringMatching(/^TXN-\d{1,8}$/),
    paymentProofUrl: fc.option(fc.constantFrom('https://example.com/receipt.png', 'http://localhost/r.png'), { nil: undefined }),
    customFields: fc.option(
      fc.record(
        {
          dietary: fc.constantFrom('Vegetarian', 'Vegan'),
          company: fc.string({ unit: 'grapheme-composite', maxLength: 40 }),
          age: fc.integer({ min: 0, max: 130 }),
          newsletter: fc.boolean(),
          tracks: fc.subarray(['Talks', 'Workshops', 'Social']),
          arrival: fc.constantFrom('2027-05-01', '2027-05-10', '2027-05-12'),
          notes: fc.oneof(fc.string({ maxLength: 200 }), fc.constant('line one\nline two\ttab')),
        },
        { requiredKeys: [] },
      ),
      { nil: undefined },
    ),
    region: fc.option(fc.constantFrom('nz', 'AU', 'de'), { nil: undefined }),
  })
  .map(({ paid, paymentReference, paymentProofUrl, customFields: custom, region, ...person }) => ({
    ...person,
    ticketTypeId: paid ? 'standard' : 'free',
    ...(paid ? { paymentMethodId: 'bank', paymentReference } : {}),
    ...(paid && paymentProofUrl ? { paymentProofUrl } : {}),
    ...(custom ? { customFields: custom } : {}),
    ...(region ? { region } : {}),
  }));

/** An extra key, possibly one that aims at a prototype, added to a body. */
function withKey(body: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  // JSON.parse makes `__proto__` an own key, as a client's JSON would.
  const json = JSON.stringify(body);
  const entry = `${JSON.stringify(key)}:${JSON.stringify(value ?? null)}`;
  return JSON.parse(json === '{}' ? `{${entry}}` : `{${entry},${json.slice(1)}`) as Record<string, unknown>;
}

/**
 * A create body, as a JS value to be sent as JSON: a plausible body left alone, or with one
 * to three keys given hostile or wrong-typed values, dropped, or added (unknown and
 * prototype-aiming keys); and now and then a body of hostile values throughout.
 */
export const createBody: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  { arbitrary: plausibleBody, weight: 4 },
  {
    arbitrary: fc
      .tuple(
        plausibleBody,
        fc.array(
          fc.oneof(
            fc
              .constantFrom(...Object.keys(hostileValue))
              .chain((key) => hostileValue[key]!.map((value) => ({ op: 'set' as const, key, value }))),
            fc.constantFrom(...Object.keys(hostileValue)).map((key) => ({ op: 'drop' as const, key, value: undefined })),
            fc.tuple(nastyKey, fc.oneof(wrongType, hostileString)).map(([key, value]) => ({ op: 'add' as const, key, value })),
          ),
          { minLength: 1, maxLength: 3 },
        ),
      )
      .map(([body, mutations]) => {
        let out: Record<string, unknown> = { ...body };
        for (const { op, key, value } of mutations) {
          if (op === 'set') out[key] = value;
          else if (op === 'drop') delete out[key];
          else out = withKey(out, key, value);
        }
        return out;
      }),
    weight: 5,
  },
  { arbitrary: fc.record(hostileValue, { requiredKeys: [] }), weight: 1 },
);

/** A create body that is surely valid for the test conference (free ticket), unique per call. */
export const validBody = (n: number | string): Record<string, unknown> => ({
  firstName: 'Valid',
  lastName: `Person${n}`,
  email: `valid.person${n}@example.org`,
  ticketTypeId: 'free',
});

/**
 * Custom fields of the fuzz conference, one of each kind that has its own checks. Added to
 * the helpers' test conference (which already has the select "dietary").
 */
export const FUZZ_FIELDS = [
  ...(conferenceFile().fields as unknown[]),
  { key: 'company', label: 'Company', type: 'text', max_length: 40 },
  { key: 'age', label: 'Age', type: 'number', min: 0, max: 130 },
  { key: 'newsletter', label: 'Newsletter', type: 'checkbox' },
  {
    key: 'tracks',
    label: 'Tracks',
    type: 'multiselect',
    options: [
      { value: 'Talks', label: 'Talks' },
      { value: 'Workshops', label: 'Workshops' },
      { value: 'Social', label: 'Social' },
    ],
  },
  { key: 'arrival', label: 'Arrival', type: 'date', min: '2027-05-01', max: '2027-05-12' },
  { key: 'notes', label: 'Notes', type: 'textarea', max_length: 200 },
  { key: 'retired', label: 'Retired field', type: 'text', enabled: false },
];
