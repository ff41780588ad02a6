import type { RequestHandler } from 'express';
import { isJsonContentType, parseJsonBody } from '../../lib/json-body.js';
import { LIMITS } from '../../contract/index.js';
import { ApiError } from '../errors.js';

/** 406 for an Accept header that excludes JSON; no Accept header means anything (SPEC §2). */
export const acceptJson: RequestHandler = (req, _res, next) => {
  if (req.headers.accept && !req.accepts('application/json')) {
    next(new ApiError('not_acceptable', 'This API answers in application/json only'));
    return;
  }
  next();
};

/**
 * A JSON body, up to 32 KiB: 415 unless the Content-Type is application/json, 413 past the
 * limit (counted on the bytes received, so a lying Content-Length or a chunked body gains
 * nothing), 400 `invalid_json` when it does not parse or holds a lone surrogate.
 */
export const jsonBody: RequestHandler = (req, res, next) => {
  if (!isJsonContentType(req.headers['content-type'])) {
    next(new ApiError('unsupported_media_type', 'Send the body as application/json'));
    return;
  }
  // A declared length past the limit is refused at once: body-parser would first read (and
  // drop) the whole body, however large, before answering. The connection is closed rather
  // than drained.
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding === 'identity' && Number(req.headers['content-length']) > LIMITS.bodyBytes) {
    res.set('Connection', 'close');
    next(new ApiError('payload_too_large', 'The request body is larger than 32 KiB'));
    return;
  }
  parseJsonBody(req, res, next);
};
