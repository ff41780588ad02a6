import type { RequestHandler } from 'express';
import type { ConfigCache } from '../config-cache.js';
import { REGISTRATION_PATH } from './registration.js';

/**
 * `GET /api/registration` with no query (the widget's config read, the bulk of a rush),
 * answered from the cache before Express walks the routers (issue 14: the walk was ~10 % of
 * the proxy's CPU for this answer). The same answer `registrationRoutes` gives: security
 * headers, CORS and the request log have run; anything else (JSONP, a submit) goes on.
 */
export function configFastPath(configCache: ConfigCache): RequestHandler {
  return async function configFastPath(req, res, next) {
    if (req.method !== 'GET' || req.url !== REGISTRATION_PATH) return next();
    const cached = await configCache.get();
    res.statusCode = 200;
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', Buffer.byteLength(cached.json));
    res.end(cached.json);
  };
}
