import type { ErrorRequestHandler } from 'express';
import { inputFailure } from '../../lib/input-failure.js';
import type { Logger } from '../../lib/logger.js';
import { routingRefusals } from '../../lib/routing.js';
import { logUnexpected } from '../../lib/unexpected-error.js';
import { ApiError } from '../errors.js';

/**
 * The one error middleware (STYLE §3): ApiErrors become their SPEC body; anything else is
 * logged once (lib/unexpected-error.ts) and answered with a generic 500 that names the same id.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, _req, res, _next) => {
    const failure = error instanceof ApiError ? null : inputFailure(error);
    const apiError =
      error instanceof ApiError
        ? error
        : failure
          ? new ApiError(failure.code, failure.message)
          : new ApiError('internal_error', 'Something went wrong on our side; please try again', {
              error_id: logUnexpected(logger, error),
            });
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(apiError.status).set(apiError.headers).set('Cache-Control', 'no-store').json(apiError.toBody());
  };
}

/** The JSON 404 (registered last) and the 405 with `Allow` for a path that exists (SPEC §2). */
export const { notFound, methodNotAllowed } = routingRefusals({
  notFound: () => new ApiError('not_found', 'There is nothing at this path'),
  methodNotAllowed: (method, allowed) =>
    new ApiError('method_not_allowed', `${method} is not allowed here`, { allowed }, { Allow: allowed.join(', ') }),
});
