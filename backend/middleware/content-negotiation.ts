import express, { type RequestHandler } from 'express';
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

const parseJson = express.json({ limit: LIMITS.bodyBytes, strict: true, type: () => true });

/**
 * A JSON body, up to 32 KiB: 415 unless the Content-Type is application/json, 413 past the
 * limit (counted on the bytes received, so a lying Content-Length or a chunked body gains
 * nothing), 400 `invalid_json` when it does not parse.
 */
export const jsonBody: RequestHandler = (req, res, next) => {
  if (!req.is('application/json')) {
    next(new ApiError('unsupported_media_type', 'Send the body as application/json'));
    return;
  }
  parseJson(req, res, next);
};
