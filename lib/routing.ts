import type { RequestHandler } from 'express';

/** The server's own errors for the two refusals: each server answers in its own body shape. */
export interface RoutingErrors {
  notFound: () => Error;
  methodNotAllowed: (method: string, allowed: string[]) => Error;
}

/**
 * The JSON 404, registered after every router (STYLE §3), and the 405 for a path that exists
 * with another method (SPEC §2: with `Allow`, which the server's error carries), registered
 * last on a route: `.all(methodNotAllowed(['GET']))`.
 */
export function routingRefusals(errors: RoutingErrors): {
  notFound: RequestHandler;
  methodNotAllowed: (allowed: string[]) => RequestHandler;
} {
  return {
    notFound: function notFound(_req, _res, next) {
      next(errors.notFound());
    },
    methodNotAllowed: (allowed) =>
      function methodNotAllowed(req, _res, next) {
        next(errors.methodNotAllowed(req.method, allowed));
      },
  };
}
