import { isIP } from 'node:net';
import * as z from 'zod';
import { ConfigResponse, IdempotencyKey, RegistrationList, RegistrationResponse, type CreateRegistrationInput } from '../contract/index.js';
import { request, type FetchLike, type Transport } from './http.js';
import { fetchSend, nodeSend } from './node-transport.js';

/** Options of {@link createConferaPublicClient}, checked once when the client is made. */
export const ClientOptions = z.object({
  /** The backend's origin (`https://your-domain`), optionally with a path prefix. */
  baseUrl: z.url({ protocol: /^https?$/, error: 'baseUrl must be an http(s) URL' }).transform((value) => value.replace(/\/+$/, '')),
  apiKey: z.string({ error: 'apiKey is required' }).min(1, { error: 'apiKey is required' }),
  /** Deadline for one call, headers and body together; default 12 s (seed 000). */
  timeoutMs: z.int().positive().max(600_000).default(12_000),
  userAgent: z.string().min(1).max(256).default('confera-sdk/0.1'),
  /** Any WHATWG `fetch`, used instead of the built-in `node:http` transport (tests, other runtimes). */
  fetch: z.custom<FetchLike>((value) => typeof value === 'function', { error: 'fetch must be a function' }).optional(),
});
export type ClientOptions = z.input<typeof ClientOptions>;

export interface ListOptions {
  /** 1 to 200; the backend's default is 50. */
  limit?: number;
  /** `next_cursor` of the previous page. */
  cursor?: string;
}

export interface CreateOptions {
  /**
   * Sent as `Idempotency-Key`: the same key with the same body replays the first answer
   * instead of creating a second registration (SPEC §2). One key per attempt at one body.
   */
  idempotencyKey?: string;
  /**
   * The address of the visitor this create is for, sent as `Confera-Client-Address`. A
   * backend that trusts the caller (`TRUSTED_PROXIES`) then limits per key and visitor, so
   * that one visitor's flood does not spend every visitor's budget (SPEC §3e).
   */
  clientAddress?: string;
}

export interface ConferaPublicClient {
  registrations: {
    /** `GET /registrations/config`: what a form needs to render itself. */
    getConfig(): Promise<ConfigResponse>;
    /** `POST /registrations/registrations`: 201 with the stored registration. */
    create(body: CreateRegistrationInput, options?: CreateOptions): Promise<RegistrationResponse>;
    /** `GET /registrations/registrations`: one page, newest cursor in `next_cursor`. */
    list(options?: ListOptions): Promise<RegistrationList>;
    /** `GET /registrations/registrations/:id` */
    get(id: string): Promise<RegistrationResponse>;
  };
}

/**
 * The typed client of the Confera Public API v1 (SPEC §4, seed 000). Every failure is a
 * `ConferaApiError`: the backend's code and status, or `timeout`, `network_error`,
 * `invalid_response`. Bad options throw a TypeError naming the option (never its value).
 *
 * @example
 * const confera = createConferaPublicClient({ baseUrl: 'https://api.example', apiKey: process.env.CONFERA_API_KEY! });
 * const { data } = await confera.registrations.getConfig();
 */
export function createConferaPublicClient(options: ClientOptions): ConferaPublicClient {
  const parsed = ClientOptions.safeParse(options);
  if (!parsed.success) {
    throw new TypeError(`createConferaPublicClient: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
  }
  const { fetch, ...settings } = parsed.data;
  const transport: Transport = { ...settings, send: fetch ? fetchSend(fetch) : nodeSend };

  return {
    registrations: {
      getConfig: async () => request(transport, { method: 'GET', path: '/registrations/config', schema: ConfigResponse }),
      create: async (body, createOptions = {}) => {
        const headers: Record<string, string> = {};
        if (createOptions.idempotencyKey !== undefined) {
          // Checked here so that a bad key fails loudly before anything is sent.
          const key = IdempotencyKey.safeParse(createOptions.idempotencyKey);
          if (!key.success) throw new TypeError(`idempotencyKey: ${key.error.issues[0]?.message ?? 'invalid'}`);
          headers['idempotency-key'] = key.data;
        }
        if (createOptions.clientAddress !== undefined) {
          if (!isIP(createOptions.clientAddress)) throw new TypeError('clientAddress: must be an IP address');
          headers['confera-client-address'] = createOptions.clientAddress;
        }
        return request(transport, { method: 'POST', path: '/registrations/registrations', body, headers, schema: RegistrationResponse });
      },
      list: async (listOptions = {}) =>
        request(transport, {
          method: 'GET',
          path: '/registrations/registrations',
          query: { limit: listOptions.limit, cursor: listOptions.cursor },
          schema: RegistrationList,
        }),
      get: async (id) =>
        request(transport, { method: 'GET', path: `/registrations/registrations/${encodeURIComponent(id)}`, schema: RegistrationResponse }),
    },
  };
}
