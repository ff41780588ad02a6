import { parse } from 'csv-parse/sync';
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { ERROR_STATUS, ErrorBody, type ErrorCode } from '../../contract/index.js';
import { startBackend, type StartOptions, type TestBackend } from '../helpers/backend.js';

/** A fresh backend (and database) for one test, closed when that test ends. */
export async function backendFor(t: TestContext, options: StartOptions = {}): Promise<TestBackend> {
  const backend = await startBackend(options);
  t.after(() => backend.close());
  return backend;
}

/** A clock that stands still until the test moves it. */
export function fakeClock(start: string): { now: () => Date; set(iso: string): void } {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set: (iso: string) => {
      current = new Date(iso);
    },
  };
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: any;
}

/** A request to the Public API (`path` below `/api/public/v1`, or a full URL), the JSON parsed. */
export async function request(
  backend: { api: string },
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<ApiResponse> {
  const url = /^https?:/.test(path) ? path : `${backend.api}${path}`;
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

/** GET with the key in X-API-Key. */
export function getWithKey(backend: { api: string }, apiKey: string, path: string, headers: Record<string, string> = {}) {
  return request(backend, path, { headers: { 'x-api-key': apiKey, ...headers } });
}

/**
 * The error shape of SPEC §2: `{ error: { code, message, details? } }`, JSON, with the status
 * the errors table gives the code. Returns the error for further checks.
 */
export function assertError(response: ApiResponse, code: ErrorCode): { code: string; message: string; details?: any } {
  assert.equal(
    response.status,
    ERROR_STATUS[code],
    `expected ${code} (${ERROR_STATUS[code]}), got ${response.status} ${JSON.stringify(response.body)}`,
  );
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
  const parsed = ErrorBody.safeParse(response.body);
  assert.ok(parsed.success, `not an error body: ${JSON.stringify(response.body)}`);
  assert.deepEqual(Object.keys(response.body), ['error']);
  assert.equal(response.body.error.code, code);
  assert.ok(response.body.error.message.length > 0);
  return response.body.error;
}

/** A `validation_failed` answer; returns its `details.fields`. */
export function assertFieldErrors(response: ApiResponse): Record<string, string[]> {
  const error = assertError(response, 'validation_failed');
  assert.ok(error.details?.fields, 'validation_failed without details.fields');
  return error.details.fields;
}

/** Rows stored for a conference. */
export async function countRegistrations(backend: TestBackend, conferenceId: string): Promise<number> {
  const row = await backend.store.db
    .selectFrom('registrations')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('conference_id', '=', conferenceId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Parses RFC 4180 CSV (quoted cells, doubled quotes, newlines inside quotes) into rows of cells. */
export function parseCsv(text: string): string[][] {
  return parse(text, { relax_column_count: false }) as string[][];
}
