import type { RequestHandler } from 'express';
import { isJsonContentType, parseJsonBody } from '../../lib/json-body.js';
import { ProxyError } from '../errors.js';

/**
 * A JSON body of at most 32 KiB (SPEC §3), parsed as the backend parses it (`lib/http-input`):
 * 415 for another Content-Type, 413 past the limit (counted on the bytes that arrive, so a
 * small Content-Length on a chunked body gains nothing), 400 `invalid_json` when it does not
 * parse or holds a `__proto__` key or a lone surrogate. The error middleware maps the parser's
 * own errors with lib's `inputFailure`, the same mapping as the backend's.
 */
export const jsonBody: RequestHandler = function jsonBody(req, res, next) {
  if (!isJsonContentType(req.headers['content-type'])) {
    next(new ProxyError(415, 'unsupported_media_type', 'Send the registration as application/json'));
    return;
  }
  parseJsonBody(req, res, next);
};
