import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApp, API_BASE } from '../../backend/app.js';
import { createApiKey } from '../../backend/services/api-keys.js';
import { createConference } from '../../backend/services/conferences.js';
import type { Store } from '../../backend/storage/database.js';
import { configureContractMessages, type Scope } from '../../contract/index.js';
import { createHttpServer } from '../../lib/http-server.js';
import { parseAddressList } from '../../lib/client-address.js';
import { createLogger } from '../../lib/logger.js';
import { createTestDatabase, type TestDialect } from './database.js';

/** Log lines captured in memory: tests scan them for leaks and keep the output quiet. */
export function memoryLog(): { lines: string[]; destination: { write(line: string): void } } {
  const lines: string[] = [];
  return { lines, destination: { write: (line: string) => void lines.push(line) } };
}

export interface TestBackend {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** `http://127.0.0.1:PORT/api/public/v1` */
  api: string;
  store: Store;
  /** DATABASE_URL of this backend's database (for a second process or the admin CLI). */
  databaseUrl: string;
  logs: string[];
  /** The node:http server, for tests that watch its sockets. */
  server: Server;
  close(): Promise<void>;
}

export interface StartOptions {
  dialect?: TestDialect;
  clock?: () => Date;
  /** 0 (the default in tests) turns the per-key limit off. */
  rateLimitPerMinute?: number;
  /** 0 (the default in tests) looks every key up on every request. */
  authCacheMs?: number;
  /** Per key and client address; 0 (the default in tests) turns it off. */
  rateLimitPerClientPerMinute?: number;
  /** `TRUSTED_PROXIES`; default loopback, as the backend's. */
  trustedProxies?: string;
  /** PostgreSQL: a batch statement's limit (backend/storage/database.ts); default the backend's. */
  batchStatementMs?: number;
  /** PostgreSQL: every other statement's limit, as the server sets it; default none. */
  statementMs?: number;
}

/** The real backend app on an ephemeral port with a fresh database of its own. */
export async function startBackend(options: StartOptions = {}): Promise<TestBackend> {
  configureContractMessages(); // as backend/server.ts does
  const database = await createTestDatabase(options.dialect ?? 'sqlite');
  const store = await database
    .open({
      ...(options.batchStatementMs ? { batchStatementMs: options.batchStatementMs } : {}),
      ...(options.statementMs ? { statementMs: options.statementMs } : {}),
    })
    .catch(async (error) => {
      await database.drop();
      throw error;
    });
  const log = memoryLog();
  const logger = createLogger({ name: 'confera-backend', level: 'info', destination: log.destination });
  const app = createApp({
    store,
    logger,
    rateLimitPerMinute: options.rateLimitPerMinute ?? 0,
    rateLimitPerClientPerMinute: options.rateLimitPerClientPerMinute ?? 0,
    trustedProxies: parseAddressList(options.trustedProxies ?? 'loopback'),
    authCacheMs: options.authCacheMs ?? 0,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const server: Server = await new Promise((resolve) => {
    // The server backend/server.ts runs (lib/http-server.ts), so that its policies are tested too.
    const s = createHttpServer(app).listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    api: `${url}${API_BASE}`,
    store,
    databaseUrl: database.url,
    logs: log.lines,
    server,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await store.close();
      await database.drop();
    },
  };
}

/**
 * The test conference: live, one phase ("early-bird") open from 2000 to 2100, a free ticket
 * "free", a paid ticket "standard" (14900 EUR), a bank transfer that needs a reference, and
 * an optional select field "dietary". `overrides` replace top-level keys of the file.
 */
export function conferenceFile(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Test Conference 2027',
    status: 'live',
    plan_ends_at: null,
    starts_on: '2027-05-10',
    ends_on: '2027-05-12',
    timezone: 'Europe/Berlin',
    currency: 'EUR',
    capacity: null,
    public_registration_enabled: true,
    registration_closes_at: null,
    show_remaining: true,
    phases: [{ id: 'early-bird', name: 'Early bird', starts_at: '2000-01-01T00:00:00Z', ends_at: '2100-01-01T00:00:00Z' }],
    ticket_types: [
      { id: 'free', name: 'Free pass', prices: { 'early-bird': 0 } },
      { id: 'standard', name: 'Standard', description: 'All days', prices: { 'early-bird': 14900 } },
    ],
    payment_methods: [
      {
        id: 'bank',
        name: 'Bank transfer',
        kind: 'bank_transfer',
        instructions: 'IBAN DE00 0000',
        reference_required: true,
        proof_required: false,
      },
    ],
    fields: [
      {
        key: 'dietary',
        label: 'Dietary requirements',
        type: 'select',
        required: false,
        options: [
          { value: 'Vegetarian', label: 'Vegetarian' },
          { value: 'Vegan', label: 'Vegan' },
        ],
      },
    ],
    ...overrides,
  };
}

export interface Seeded {
  conferenceId: string;
  apiKey: string;
  keyId: string;
}

/** A conference and an API key for it, through the admin CLI's code path (its services). */
export async function seedConference(
  store: Store,
  overrides: Record<string, unknown> = {},
  options: { scopes?: Scope[]; now?: Date; expiresAt?: string } = {},
): Promise<Seeded> {
  const now = options.now ?? new Date();
  const conference = await createConference(store.db, conferenceFile(overrides), now);
  const key = await createApiKey(
    store.db,
    {
      conferenceId: conference.id,
      scopes: options.scopes ?? ['registrations:read', 'registrations:write'],
      expiresAt: options.expiresAt ?? null,
    },
    now,
  );
  return { conferenceId: conference.id, apiKey: key.key, keyId: key.id };
}

/** A valid create body for the test conference's free ticket; `n` makes the person unique. */
export function person(n: number | string = 1, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { firstName: 'Julie', lastName: `Everett${n}`, email: `julie.everett${n}@example.org`, ticketTypeId: 'free', ...overrides };
}

/** POSTs a create body as JSON with the key; returns status, headers and parsed body. */
export async function postRegistration(
  backend: { api: string },
  apiKey: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: any }> {
  const response = await fetch(`${backend.api}/registrations/registrations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}
