import type * as z from 'zod';
import { ErrorBody } from '../contract/index.js';
import { ConferaApiError } from './errors.js';
import type { Send } from './node-transport.js';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface Transport {
  /** Backend origin plus an optional path prefix, without a trailing slash. */
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  userAgent: string;
  send: Send;
}

export interface Call<T> {
  method: 'GET' | 'POST';
  /** Below `/api/public/v1`, already encoded. */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  /** The contract schema the 2xx body must fit. */
  schema: z.ZodType<T>;
}

export const API_BASE = '/api/public/v1';

function url(transport: Transport, call: Call<unknown>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(call.query ?? {})) {
    if (value !== undefined) search.set(name, String(value));
  }
  const query = search.size ? `?${search}` : '';
  return `${transport.baseUrl}${API_BASE}${call.path}${query}`;
}

const unreachable = (cause: unknown) =>
  new ConferaApiError({ status: 0, code: 'network_error', message: 'The Confera API could not be reached', cause });

/**
 * One request to the backend: key in `X-API-Key`, a deadline covering the whole exchange
 * (headers and body), the answer parsed against the contract. Every failure becomes a
 * ConferaApiError; nothing here puts the key, the URL or the body into a message.
 */
export async function request<T>(transport: Transport, call: Call<T>): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), transport.timeoutMs);
  const timedOut = () =>
    new ConferaApiError({ status: 0, code: 'timeout', message: `The Confera API did not answer within ${transport.timeoutMs} ms` });
  try {
    let answer: { status: number; text: string };
    try {
      answer = await transport.send(url(transport, call), {
        method: call.method,
        headers: {
          accept: 'application/json',
          'user-agent': transport.userAgent,
          'x-api-key': transport.apiKey,
          ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...call.headers,
        },
        ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
        signal: controller.signal,
      });
    } catch (error) {
      throw controller.signal.aborted ? timedOut() : unreachable(error);
    }
    return interpret(answer.status, answer.text, call.schema);
  } finally {
    clearTimeout(timer);
  }
}

function invalid(status: number, why: string): ConferaApiError {
  return new ConferaApiError({
    status,
    code: 'invalid_response',
    message: `The Confera API sent an answer that does not fit the contract: ${why}`,
  });
}

function interpret<T>(status: number, text: string, schema: z.ZodType<T>): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalid(status, 'not JSON');
  }
  if (status >= 200 && status < 300) {
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      // Paths only: the values can be personal data.
      const paths = parsed.error.issues.slice(0, 5).map((issue) => issue.path.join('.') || '(root)');
      throw invalid(status, `unexpected ${paths.join(', ')}`);
    }
    return parsed.data;
  }
  const error = ErrorBody.safeParse(json);
  if (!error.success) throw invalid(status, `status ${status} without an error body`);
  const { code, message, details } = error.data.error;
  throw new ConferaApiError({ status, code, message, details });
}
