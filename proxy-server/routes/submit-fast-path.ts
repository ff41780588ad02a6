import type { RequestHandler } from 'express';

/**
 * `POST /api/registration` with no query (the widget's submit, the bulk of a rush), run
 * through the route's own handlers before Express walks the routers, as the cached config is
 * (`config-fast-path.ts`). Issue 14: that walk (a match object and a closure per layer, and
 * the mounted routers' own walks) was 16 % of what a proxied submit allocated. The same
 * answer `registrationRoutes` gives: security headers, CORS and the request log have run, and
 * an error goes to the app's error middleware. Any other spelling the router takes
 * (`/api/registration/`, another case) still goes the long way.
 *
 * The handlers run as Express runs a route's: in order, each on the previous one's `next()`,
 * a thrown error or a rejected promise passed on. They must answer or fail: none of them may
 * hand the request on (`next('route')`), since the router would then run them again.
 */
export function submitFastPath(handlers: readonly RequestHandler[]): RequestHandler {
  return function submitFastPath(req, res, next) {
    if (req.method !== 'POST' || req.url !== '/api/registration') return next();
    let index = 0;
    const step = (error?: unknown): void => {
      if (error) return next(error);
      const handler = handlers[index++];
      if (!handler) return next(new Error('The submit handlers ended without an answer'));
      try {
        const result: unknown = handler(req, res, step);
        if (result instanceof Promise) result.then(undefined, (reason: unknown) => next(reason ?? new Error('Rejected promise')));
      } catch (thrown) {
        next(thrown);
      }
    };
    step();
  };
}
