import type { RequestHandler } from 'express';
import type { FormTokens } from '../form-token.js';

export interface CorsOptions {
  /** `*`, or exact origins as browsers send them (`https://www.example.org`). */
  allowedOrigins: '*' | readonly string[];
  /** The hosted form's tokens: `Origin: null` with a valid `form_token` is the form in a sandbox. */
  formTokens?: FormTokens;
}

/** What the browser may send and read cross-origin (SPEC §3). */
const ALLOW_METHODS = 'GET, POST';
const ALLOW_HEADERS = 'Content-Type, Idempotency-Key';
/** The widget reads these to tell "slow down" from other errors. */
const EXPOSE_HEADERS = 'Retry-After, RateLimit, RateLimit-Policy';
const MAX_AGE_SECONDS = '7200';

/**
 * CORS by exact origin (SPEC §3). An origin is allowed only when it equals one in the list,
 * character for character, so `null`, `https://allowed.example.evil.io` and other schemes or
 * ports get no CORS headers. Every answer says `Vary: Origin`, refused ones too, so that no
 * cache hands one origin's answer to another. Never credentials: the proxy uses no cookies.
 * The preflight is answered here (204) without reaching any route.
 *
 * CORS only tells browsers what a page may read; it is not access control. Every rule that
 * matters is enforced by the backend for requests from anywhere.
 *
 * @example app.use(cors({ allowedOrigins: ['https://www.example.org'] }))
 */
export function cors(options: CorsOptions): RequestHandler {
  const allowed = options.allowedOrigins === '*' ? null : new Set(options.allowedOrigins);
  return function corsPolicy(req, res, next) {
    res.vary('Origin');
    const origin = req.headers.origin;
    // `null` is refused, but for the hosted form in a sandbox (SPEC §3d) with its token.
    const sandboxedForm = origin === 'null' && options.formTokens?.valid(req.query.form_token) === true;
    const permitted = origin !== undefined && (sandboxedForm || (origin !== 'null' && (allowed === null || allowed.has(origin))));
    if (permitted) {
      res.set('Access-Control-Allow-Origin', allowed === null && !sandboxedForm ? '*' : origin);
    }
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    if (!preflight) {
      if (permitted) res.set('Access-Control-Expose-Headers', EXPOSE_HEADERS);
      next();
      return;
    }
    // A refused preflight is a 204 without the allow headers: the browser then blocks the call.
    if (permitted) {
      res.set({
        'Access-Control-Allow-Methods': ALLOW_METHODS,
        'Access-Control-Allow-Headers': ALLOW_HEADERS,
        'Access-Control-Max-Age': MAX_AGE_SECONDS,
      });
    }
    res.status(204).set('Content-Length', '0').end();
  };
}

/** True when a page at `origin` may use the proxy: the same rule as the CORS answer. */
export function originAllowed(allowedOrigins: '*' | readonly string[], origin: string): boolean {
  return allowedOrigins === '*' || allowedOrigins.includes(origin);
}
