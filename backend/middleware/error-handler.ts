import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { errorOrigin, inputFailure } from '../../lib/http-input.js';
import type { Logger } from '../../lib/logger.js';
import { ApiError } from '../errors.js';

/**
 * The one error middleware (STYLE §3): ApiErrors become their SPEC body; anything else is
 * logged once (an id, a type, a code, a location: no message, since driver messages can hold
 * SQL or personal data) and answered with a generic 500 that names the same id.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, _req, res, _next) => {
    const failure = error instanceof ApiError ? null : inputFailure(error);
    let apiError = error instanceof ApiError ? error : failure && new ApiError(failure.code, failure.message);
    if (!apiError) {
      const errorId = randomUUID();
      logger.error({ errorId, errorType: error?.constructor?.name, errorCode: error?.code, at: errorOrigin(error) }, 'unexpected error');
      apiError = new ApiError('internal_error', 'Something went wrong on our side; please try again', { error_id: errorId });
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(apiError.status).set(apiError.headers).set('Cache-Control', 'no-store').json(apiError.toBody());
  };
}

/** The JSON 404, registered last. */
export const notFound: RequestHandler = (_req, _res, next) => {
  next(new ApiError('not_found', 'There is nothing at this path'));
};

/** For a path that exists: any other method gets 405 with the Allow header (SPEC §2). */
export function methodNotAllowed(allowed: string[]): RequestHandler {
  return (req, _res, next) => {
    next(new ApiError('method_not_allowed', `${req.method} is not allowed here`, { allowed }, { Allow: allowed.join(', ') }));
  };
}
