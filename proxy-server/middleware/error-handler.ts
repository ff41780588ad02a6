import type { ErrorRequestHandler, Response } from 'express';
import { inputFailure } from '../../lib/input-failure.js';
import type { Logger } from '../../lib/logger.js';
import { routingRefusals } from '../../lib/routing.js';
import { logUnexpected } from '../../lib/unexpected-error.js';
import { fromUpstream, logUpstreamFailure, ProxyError } from '../errors.js';
import { jsonpCallback, jsonpError, sendJsonp } from './jsonp.js';

/** A failure of the layers below the routes (body parser, zlib, router) that is the client's doing. */
function fromInput(error: unknown): ProxyError | null {
  const failure = inputFailure(error);
  return failure && new ProxyError(failure.status, failure.code, failure.message);
}

/**
 * Any failure as the ProxyError to answer, logged as it deserves: upstream failures with
 * codes only, anything unexpected once (an id, a type, a location: never a message, which can
 * quote `jsonData`) as a generic 500 naming the same id.
 */
function toProxyError(error: unknown, logger: Logger): ProxyError {
  const known = error instanceof ProxyError ? error : (fromUpstream(error) ?? fromInput(error));
  if (!known) {
    return new ProxyError(500, 'internal_error', 'Something went wrong on our side; please try again', {
      details: { error_id: logUnexpected(logger, error) },
    });
  }
  logUpstreamFailure(logger, known);
  return known;
}

/**
 * An error middleware of this proxy: the failure as `toProxyError` makes it (and logs it),
 * handed to `answer`, unless an answer has already begun, which can only be ended. The app's
 * and the seed-004 resource's differ only in how they answer.
 */
export function proxyErrorMiddleware(logger: Logger, answer: (error: ProxyError, res: Response) => void): ErrorRequestHandler {
  return function proxyErrors(error, _req, res, _next) {
    const proxyError = toProxyError(error, logger);
    if (res.headersSent) {
      res.end();
      return;
    }
    answer(proxyError, res);
  };
}

/**
 * The one error middleware (STYLE §3), registered after the routes. Turns every failure into
 * `{ ok: false, status, code, message, details? }`, or for a JSONP request into a 200 script
 * whose payload says `Success: false` (SPEC §3). Upstream failures (5xx, timeouts) are logged
 * with codes only; anything unexpected is logged once (an id, a type, a location: never a
 * message, which can quote `jsonData`) and answered with a generic 500 naming the same id.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return proxyErrorMiddleware(logger, (proxyError, res) => {
    res.set(proxyError.headers);
    const callback = jsonpCallback(res);
    if (callback) {
      sendJsonp(res, callback, JSON.stringify(jsonpError(proxyError)));
      return;
    }
    res.status(proxyError.status).set('Cache-Control', 'no-store').json(proxyError.toBody());
  });
}

/** The JSON 404 (registered last) and the 405 with `Allow` for a path that exists. */
export const { notFound, methodNotAllowed } = routingRefusals({
  notFound: () => new ProxyError(404, 'not_found', 'There is nothing at this path'),
  methodNotAllowed: (method, allowed) =>
    new ProxyError(405, 'method_not_allowed', `${method} is not allowed here`, {
      details: { allowed },
      headers: { Allow: allowed.join(', ') },
    }),
});
