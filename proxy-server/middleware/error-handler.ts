import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../../lib/logger.js';
import { errorOrigin, inputFailure } from '../../lib/http-input.js';
import { fromUpstream, ProxyError } from '../errors.js';
import { jsonpCallback, jsonpError, sendJsonp } from './jsonp.js';

/** A failure of the layers below the routes (body parser, zlib, router) that is the client's doing. */
function fromInput(error: unknown): ProxyError | null {
  const failure = inputFailure(typeof error === 'object' ? (error as Parameters<typeof inputFailure>[0]) : null);
  return failure && new ProxyError(failure.status, failure.code, failure.message);
}

/**
 * The one error middleware (STYLE §3), registered after the routes. Turns every failure into
 * `{ ok: false, status, code, message, details? }`, or for a JSONP request into a 200 script
 * whose payload says `Success: false` (SPEC §3). Upstream failures (5xx, timeouts) are logged
 * with codes only; anything unexpected is logged once (an id, a type, a location: never a
 * message, which can quote `jsonData`) and answered with a generic 500 naming the same id.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return function errorHandler(error, _req, res, _next) {
    let proxyError = error instanceof ProxyError ? error : (fromUpstream(error) ?? fromInput(error));
    if (!proxyError) {
      const errorId = randomUUID();
      logger.error({ errorId, errorType: error?.constructor?.name, errorCode: error?.code, at: errorOrigin(error) }, 'unexpected error');
      proxyError = new ProxyError(500, 'internal_error', 'Something went wrong on our side; please try again', {
        details: { error_id: errorId },
      });
    } else if (proxyError.status >= 500 && proxyError.upstream) {
      logger.warn(
        { code: proxyError.code, upstreamStatus: proxyError.upstream.status, upstreamCode: proxyError.upstream.code },
        'upstream failed',
      );
    } else if (proxyError.upstream?.status === 401) {
      // The browser cannot fix this; the operator must (a wrong or revoked CONFERA_API_KEY).
      logger.error({ upstreamCode: proxyError.upstream.code }, 'the backend refused the API key');
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    res.set(proxyError.headers);
    const callback = jsonpCallback(res);
    if (callback) {
      sendJsonp(res, callback, JSON.stringify(jsonpError(proxyError)));
      return;
    }
    res.status(proxyError.status).set('Cache-Control', 'no-store').json(proxyError.toBody());
  };
}

/** The JSON 404, registered last. */
export const notFound: RequestHandler = function notFound(_req, _res, next) {
  next(new ProxyError(404, 'not_found', 'There is nothing at this path'));
};

/** For a path that exists: any other method gets 405 with the Allow header. */
export function methodNotAllowed(allowed: string[]): RequestHandler {
  return function methodNotAllowed(req, _res, next) {
    next(
      new ProxyError(405, 'method_not_allowed', `${req.method} is not allowed here`, {
        details: { allowed },
        headers: { Allow: allowed.join(', ') },
      }),
    );
  };
}
