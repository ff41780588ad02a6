import type { Request, RequestHandler } from 'express';
import type { FormTokens } from '../form-token.js';
import { ProxyError } from '../errors.js';
import { originAllowed } from './cors.js';

/** Origin of a Referer URL, or null when there is none or it is not a URL. */
function refererOrigin(referer: string | undefined): string | null {
  if (!referer) return null;
  try {
    const origin = new URL(referer).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

/**
 * What the allow-list says of the page a request's `Referer` names: `unknown` when it names
 * none (no Referer, or not a URL). Used for the JSONP submit here and the JSONP config.
 */
export function refererVerdict(allowedOrigins: '*' | readonly string[], req: Request): 'allowed' | 'refused' | 'unknown' {
  if (allowedOrigins === '*') return 'allowed';
  const origin = refererOrigin(req.get('referer'));
  if (origin === null) return 'unknown';
  return originAllowed(allowedOrigins, origin) ? 'allowed' : 'refused';
}

/**
 * Who may submit through JSONP (SPEC §3). A script tag has no CORS, so the allow-list is
 * checked against the page's `Referer` instead: an allowed origin, matched exactly as for
 * CORS. A missing Referer is refused too (unless the list is `*`): the widget loads its JSONP
 * script with `referrerpolicy="origin"` so a page's own no-referrer policy does not hide it.
 * Where the browser says what it is fetching (`Sec-Fetch-Dest`), it must be a script: a
 * submit in an iframe, a link or a fetch() is not the JSONP form.
 */
export function jsonpSubmitOrigin(allowedOrigins: '*' | readonly string[], formTokens?: FormTokens): RequestHandler {
  return function jsonpSubmitOrigin(req, _res, next) {
    const dest = req.get('sec-fetch-dest');
    if (dest !== undefined && dest !== 'script') {
      next(new ProxyError(403, 'forbidden_request', 'A JSONP registration must be loaded by a script element'));
      return;
    }
    const verdict = refererVerdict(allowedOrigins, req);
    // No Referer at all is the hosted form in a sandbox (SPEC §3d) when it carries its token.
    const sandboxedForm = verdict === 'unknown' && formTokens?.valid(req.query.form_token) === true;
    if (verdict !== 'allowed' && !sandboxedForm) {
      next(new ProxyError(403, 'origin_not_allowed', 'This site may not submit registrations to this form'));
      return;
    }
    next();
  };
}
