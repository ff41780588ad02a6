import { Router } from 'express';
import { ProxyError } from '../errors.js';

/** The bundle's URL is not versioned: browsers keep it briefly, then revalidate by ETag. */
const MAX_AGE_MS = 5 * 60_000;

/**
 * `GET /widget/confera-registration.js` (SPEC §3): the built widget, with an ETag and a short
 * public cache life. `Access-Control-Allow-Origin: *` because `<script type="module">`
 * fetches in CORS mode and the bundle is public code (it holds no key, SPEC §3). Until the
 * widget is built, a JSON 404 that says so.
 */
export function widgetRouter(deps: { widgetFile: string }): Router {
  const router = Router();
  router.get('/widget/confera-registration.js', (_req, res, next) => {
    res.sendFile(
      deps.widgetFile,
      {
        maxAge: MAX_AGE_MS,
        etag: true,
        lastModified: true,
        headers: {
          'Content-Type': 'application/javascript; charset=utf-8',
          'Access-Control-Allow-Origin': '*',
        },
      },
      (error?: NodeJS.ErrnoException) => {
        if (!error || res.headersSent) return;
        next(
          error.code === 'ENOENT' || error.code === 'ENOTDIR'
            ? new ProxyError(404, 'widget_not_built', 'The widget bundle is not built yet; run npm run build')
            : error,
        );
      },
    );
  });
  return router;
}
