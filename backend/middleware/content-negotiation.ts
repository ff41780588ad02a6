import type { RequestHandler } from 'express';
import { jsonBody as readJsonBody } from '../../lib/json-body.js';
import { ApiError } from '../errors.js';

/** 406 for an Accept header that excludes JSON; no Accept header means anything (SPEC §2). */
export const acceptJson: RequestHandler = (req, _res, next) => {
  if (req.headers.accept && !req.accepts('application/json')) {
    next(new ApiError('not_acceptable', 'This API answers in application/json only'));
    return;
  }
  next();
};

/** The JSON body (lib/json-body.ts), refused with the backend's own errors. */
export const jsonBody: RequestHandler = readJsonBody({ refuse: (failure) => new ApiError(failure.code, failure.message) });
