import type { RequestHandler, Response } from 'express';
import { pascalCase, ProxyError } from '../errors.js';
import { JSONP_CALLBACK_MAX_LENGTH, JSONP_CALLBACK_PATTERN, type JsonpErrorPayload } from '../../contract/index.js';

/** The callback of a JSONP request, once `jsonp` has accepted it. */
export function jsonpCallback(res: Response): string | undefined {
  return res.locals.jsonpCallback as string | undefined;
}

/**
 * Recognises a JSONP request by its `callback` parameter and checks the name (SPEC §3).
 * A bad name is answered with a 400 *JSON* error, never with script: the name is what an
 * attacker controls, so it is never echoed. From here on, errors of this request become
 * JSONP payloads (HTTP 200, `Success: false`) in the error middleware, because a browser
 * runs no script that came with a 4xx and the page would learn nothing.
 */
export const jsonp: RequestHandler = function jsonp(req, res, next) {
  const { callback } = req.query;
  if (callback === undefined) {
    // `method=post` or `jsonData` without a callback is a JSONP submit gone wrong, not a config read.
    if (req.query.method !== undefined || req.query.jsonData !== undefined) {
      next(new ProxyError(400, 'invalid_callback', 'A JSONP request needs a callback parameter'));
      return;
    }
    next();
    return;
  }
  if (typeof callback !== 'string' || callback.length > JSONP_CALLBACK_MAX_LENGTH || !JSONP_CALLBACK_PATTERN.test(callback)) {
    next(
      new ProxyError(
        400,
        'invalid_callback',
        `callback must be a JavaScript name (letters, digits, _, $ and dots), at most ${JSONP_CALLBACK_MAX_LENGTH} characters`,
      ),
    );
    return;
  }
  res.locals.jsonpCallback = callback;
  next();
};

/**
 * JSON that is also safe JavaScript source: U+2028/U+2029 are line ends in older engines
 * and would break the call; `<` is escaped so that the payload can never close a script tag
 * should anyone inline it.
 */
function scriptSafe(json: string): string {
  return json.replace(/[\u2028\u2029<]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Sends `/**\/ typeof Fn === 'function' && Fn(json);` (SPEC §3). The leading comment defuses
 * content sniffing tricks that rely on the first bytes; `typeof` keeps a page without the
 * callback from throwing. `json` is already serialised (the config cache keeps it that way).
 */
export function sendJsonp(res: Response, callback: string, json: string): void {
  res
    .status(200)
    .set({
      'Content-Type': 'application/javascript; charset=utf-8',
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
    })
    .send(`/**/ typeof ${callback} === 'function' && ${callback}(${scriptSafe(json)});`);
}

/** Seed 004's error payload: the JSON error plus `Success: false`, `Code`, `Message`. */
export function jsonpError(error: ProxyError): JsonpErrorPayload {
  return { ...error.toBody(), Success: false, Code: pascalCase(error.code), Message: error.message };
}
