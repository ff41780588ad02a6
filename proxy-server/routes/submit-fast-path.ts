import type { RequestHandler } from 'express';
import { REGISTRATION_PATH } from './registration.js';

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
 *
 * An error reaches the error middleware a turn of the event loop later (`setImmediate`), as
 * it does from the router, which leaves a route that way. Sooner, a refusal given before the
 * body is read (a 429, a 415) would usually go out before the rest of a small body has been
 * read, and lib/http-server.ts then closes the connection: a rate-limited browser would lose its
 * keep-alive connection here and not on the long way.
 */
export function submitFastPath(handlers: readonly RequestHandler[]): RequestHandler {
  return function submitFastPath(req, res, next) {
    if (req.method !== 'POST' || req.url !== REGISTRATION_PATH) return next();
    const fail = (error: unknown) => void setImmediate(() => next(error));
    let index = 0;
    const step = (error?: unknown): void => {
      if (error) return fail(error);
      const handler = handlers[index++];
      if (!handler) return fail(new Error('The submit handlers ended without an answer'));
      try {
        const result: unknown = handler(req, res, step);
        // `||`, as Express has it: a promise rejected with a falsy value is an error too.
        if (result instanceof Promise) result.then(undefined, (reason: unknown) => fail(reason || new Error('Rejected promise')));
      } catch (thrown) {
        fail(thrown);
      }
    };
    step();
  };
}
