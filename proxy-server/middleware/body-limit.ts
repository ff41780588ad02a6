import express, { type RequestHandler } from 'express';
import { LIMITS } from '../../contract/index.js';
import { ProxyError } from '../errors.js';

const parseJson = express.json({ limit: LIMITS.bodyBytes, strict: true, type: () => true });

/**
 * A JSON body of at most 32 KiB (SPEC §3): 415 for another Content-Type, 413 past the limit
 * (counted on the bytes that arrive, so a small Content-Length on a chunked body gains
 * nothing), 400 `invalid_json` when it does not parse. The error middleware maps the parser's
 * own errors (see `fromBodyParser`).
 */
export const jsonBody: RequestHandler = function jsonBody(req, res, next) {
  if (!req.is('application/json')) {
    next(new ProxyError(415, 'unsupported_media_type', 'Send the registration as application/json'));
    return;
  }
  parseJson(req, res, next);
};

/** body-parser's error types, each with the code a browser should see. */
export function fromBodyParser(error: { type?: string }): ProxyError | null {
  switch (error.type) {
    case 'entity.too.large':
      return new ProxyError(413, 'payload_too_large', `The request body is larger than ${LIMITS.bodyBytes / 1024} KiB`);
    case 'entity.parse.failed':
      return new ProxyError(400, 'invalid_json', 'The request body is not valid JSON');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ProxyError(415, 'unsupported_media_type', 'Send the body as UTF-8 application/json');
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new ProxyError(400, 'invalid_json', 'The request body was not received whole');
    default:
      return null;
  }
}
