import { isConferaApiError } from '../client/index.js';
import type { ProxyErrorBody } from '../contract/index.js';
import type { Logger } from '../lib/logger.js';

/**
 * The proxy's one error type (STYLE §3): thrown or passed to `next()` anywhere, turned into
 * `{ ok: false, status, code, message, details? }` (or its JSONP form) by the one error
 * middleware. The message is shown to browsers: never a secret, a stack or upstream internals.
 */
export class ProxyError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;
  /** Extra response headers (Allow, Retry-After). */
  readonly headers: Record<string, string>;
  /** What the backend said, for the log line of a 5xx; never sent to the browser. */
  readonly upstream: { status: number; code: string } | undefined;

  constructor(
    status: number,
    code: string,
    message: string,
    options: {
      details?: Record<string, unknown> | undefined;
      headers?: Record<string, string>;
      upstream?: { status: number; code: string };
    } = {},
  ) {
    super(message);
    this.name = 'ProxyError';
    this.status = status;
    this.code = code;
    this.details = options.details;
    this.headers = options.headers ?? {};
    this.upstream = options.upstream;
  }

  toBody(): ProxyErrorBody {
    return { ok: false, status: this.status, code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) };
  }
}

/**
 * The backend refused this proxy's own key: unknown, revoked, expired, or without the scope.
 * Only the 401 becomes a 503 for the browser (issue 15); `insufficient_scope` keeps SPEC §3's
 * pass-through of the upstream 4xx. Both are logged for the operator.
 */
function keyRefused(error: { status: number; code: string }): boolean {
  return error.status === 401 || error.code === 'insufficient_scope';
}

/**
 * A failed client call as the browser should see it (SPEC §3): the backend's 4xx passes
 * through with its status, code and message (they are written for end users and hold no
 * secret); a backend that is down, broken or answers nonsense is 502; too slow is 504.
 * A 401 for the proxy's own key is a generic 503: no visitor can fix it, and
 * `invalid_api_key` would tell every one of them about the key; the operator reads the
 * cause in the log (`logUpstreamFailure`).
 */
export function fromUpstream(error: unknown): ProxyError | null {
  if (!isConferaApiError(error)) return null;
  const upstream = { status: error.status, code: error.code };
  if (error.status === 401) {
    return new ProxyError(503, 'service_unavailable', 'Registration is not available right now; please try again later', { upstream });
  }
  if (error.code === 'timeout') {
    return new ProxyError(504, 'upstream_timeout', 'The registration service did not answer in time; please try again', { upstream });
  }
  if (error.status >= 400 && error.status < 500 && error.code !== 'invalid_response') {
    const retryAfter = error.details?.retry_after_seconds;
    return new ProxyError(error.status, error.code, error.message, {
      details: error.details,
      headers: typeof retryAfter === 'number' ? { 'Retry-After': String(retryAfter) } : {},
      upstream,
    });
  }
  return new ProxyError(502, 'upstream_unavailable', 'The registration service is not available right now; please try again shortly', {
    upstream,
  });
}

/**
 * The log line of a failure on the backend's side, with codes only (never a message or the
 * key): an error for a refused key (the operator must change CONFERA_API_KEY), a warning for
 * a backend that is down, broken or slow. Nothing for any other 4xx: that is the visitor's.
 */
export function logUpstreamFailure(logger: Logger, error: ProxyError): void {
  if (!error.upstream) return;
  const fields = { code: error.code, upstreamStatus: error.upstream.status, upstreamCode: error.upstream.code };
  if (keyRefused(error.upstream)) logger.error(fields, 'the backend refused the API key');
  else if (error.status >= 500) logger.warn(fields, 'upstream failed');
}

/** Seed 004's `Code`: `duplicate_registration` → `DuplicateRegistration`. */
export function pascalCase(code: string): string {
  return code
    .split(/[_\W]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}
