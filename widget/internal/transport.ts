import { LIMITS } from '../../contract/browser.js';
import type { Config, CreateRegistrationInput, Registration } from '../../contract/index.js';

/** How the widget reaches the proxy (SPEC §5): CORS first, JSONP when CORS fails at the network level. */
export type TransportMode = 'auto' | 'cors' | 'jsonp';

/**
 * A failed call as the widget sees it: the proxy's code and status (`duplicate_registration`,
 * 409), or one of the widget's own with status 0: `network_error`, `timeout`,
 * `invalid_response`. The message is the proxy's, in English, or the code for the widget's own
 * (bytes count: the widget shows its own text for every code, never this message).
 */
export class RegistrationError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;
  /** Seconds to wait before retrying, from `Retry-After` or `details.retry_after_seconds`. */
  readonly retryAfter: number | undefined;

  constructor(code: string, status: number, message = code, details?: Record<string, unknown>, retryAfter?: number) {
    super(message);
    this.code = code;
    this.status = status;
    this.details = details;
    this.retryAfter = retryAfter ?? (typeof details?.retry_after_seconds === 'number' ? details.retry_after_seconds : undefined);
  }
}

const networkError = () => new RegistrationError('network_error', 0);
const timeoutError = () => new RegistrationError('timeout', 0);

interface Answer {
  status: number;
  body: any;
  retryAfter?: number | undefined;
}

/** The proxy's error body (`{ ok: false, status, code, message, details }`, or its JSONP form). */
function failure(answer: Answer): RegistrationError {
  const { body } = answer;
  if (body && typeof body.code === 'string' && typeof body.message === 'string') {
    return new RegistrationError(body.code, Number(body.status) || answer.status, body.message, body.details, answer.retryAfter);
  }
  return new RegistrationError(answer.status >= 500 ? 'upstream_unavailable' : 'invalid_response', answer.status);
}

async function viaFetch(url: string, init: RequestInit, timeoutMs: number): Promise<Answer> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    let response: Response;
    try {
      // No cookies: the proxy uses none, and a visitor's session on its origin is not ours to send.
      response = await fetch(url, { ...init, mode: 'cors', credentials: 'omit', signal: controller.signal });
    } catch {
      throw controller.signal.aborted ? timeoutError() : networkError();
    }
    const retry = Number(response.headers.get('retry-after'));
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      if (controller.signal.aborted) throw timeoutError();
    }
    return { status: response.status, body, retryAfter: retry > 0 ? retry : undefined };
  } finally {
    clearTimeout(timer);
  }
}

/** A JSONP call (widget/internal/jsonp.ts, fetched on first use); its module not loading is a network failure. */
const viaJsonp = (url: URL, timeoutMs: number, submit?: object): Promise<Answer> =>
  import('./jsonp.js').then(
    (jsonp) =>
      jsonp.viaJsonp(url, timeoutMs, submit, LIMITS.jsonDataBytes).catch((code: string) => Promise.reject(new RegistrationError(code, 0))),
    () => Promise.reject(networkError()),
  );

export interface Connection {
  config(): Promise<Config>;
  /** True once the proxy is reached by JSONP alone, which cannot carry a file. */
  readonly jsonp: boolean;

  /** One submit with its idempotency key; `idempotency_key_in_use` is retried quietly. */
  submit(body: CreateRegistrationInput, idempotencyKey: string): Promise<Registration>;
}

/** `idempotency_key_in_use` means an earlier attempt is still running: wait, at most this often. */
const IN_USE_RETRIES = 12;

export function connect(endpoint: string, mode: TransportMode, timeoutMs: number): Connection {
  const base = () => new URL(endpoint, document.baseURI);
  // Set once JSONP has worked where CORS did not: later calls go straight to it.
  let jsonpProven = false;

  async function call(cors: () => Promise<Answer>, jsonp: () => Promise<Answer>): Promise<Answer> {
    if (mode === 'jsonp' || jsonpProven) return jsonp();
    try {
      return await cors();
    } catch (error) {
      // Only a failure at the network level (CORS refused, no answer): an HTTP error is an answer.
      if (mode !== 'auto' || (error as RegistrationError).code !== 'network_error') throw error;
      const answer = await jsonp();
      jsonpProven = true;
      return answer;
    }
  }

  async function submitOnce(body: CreateRegistrationInput, key: string): Promise<Registration> {
    const answer = await call(
      () =>
        viaFetch(
          base().href,
          { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(body) },
          timeoutMs,
        ),
      () => viaJsonp(base(), timeoutMs, { ...body, submissionId: key }),
    );
    if (answer.body?.ok === true && answer.body.registration) return answer.body.registration as Registration;
    throw failure(answer);
  }

  return {
    get jsonp() {
      return mode === 'jsonp' || jsonpProven;
    },
    async config() {
      const answer = await call(
        () => viaFetch(base().href, { headers: { accept: 'application/json' } }, timeoutMs),
        () => viaJsonp(base(), timeoutMs),
      );
      // The proxy tells a JSONP page whose origin it refuses (CORS cannot say why it failed).
      if (answer.body?.origin_allowed === false) throw new RegistrationError('origin_not_allowed', 403);
      if (answer.status === 200 && answer.body?.data?.conference) return answer.body.data as Config;
      throw failure(answer);
    },
    async submit(body, key) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await submitOnce(body, key);
        } catch (error) {
          const e = error as RegistrationError;
          if (e.code !== 'idempotency_key_in_use' || attempt > IN_USE_RETRIES) throw error;
          // The server's Retry-After, growing to 8 s: about a minute and a half in all.
          const seconds = Math.max(e.retryAfter ?? 1, Math.min(2 ** (attempt - 1), 8));
          await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
        }
      }
    },
  };
}

/** A fresh idempotency key: 128 random bits (getRandomValues works on http: pages too, randomUUID does not). */
export function newIdempotencyKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}
