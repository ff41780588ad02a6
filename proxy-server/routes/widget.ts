import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { Router } from 'express';
import { ProxyError } from '../errors.js';

/** The bundle's URL is not versioned: browsers keep it briefly, then revalidate by ETag. */
const CACHE_CONTROL = 'public, max-age=300';

interface Bundle {
  /** What the file was when read: a rebuild changes it, and the bundle is read again. */
  version: string;
  body: Buffer;
  etag: string;
  lastModified: string;
}

/**
 * `If-None-Match` against our ETag (weak comparison, RFC 9110 §13.1.2). Not `req.fresh`: it
 * ignores the condition whenever the request says `Cache-Control: no-cache`, which fetch()
 * adds to every conditional request, though an origin may answer those with 304 too.
 */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/**
 * `GET /widget/confera-registration.js` (SPEC §3): the built widget from memory, with a
 * strong ETag (a content hash, so every proxy behind a load balancer agrees on it) and a
 * short public cache life. `Access-Control-Allow-Origin: *` because `<script type="module">`
 * fetches in CORS mode and the bundle is public code (it holds no key). Until the widget is
 * built, a JSON 404 that says so.
 */
export function widgetRouter(deps: { widgetFile: string }): Router {
  const router = Router();
  let bundle: Bundle | undefined;

  async function load(): Promise<Bundle | undefined> {
    let info: Stats;
    try {
      info = await stat(deps.widgetFile);
    } catch {
      return undefined;
    }
    const version = `${info.size}:${info.mtimeMs}`;
    if (bundle?.version !== version) {
      const body = await readFile(deps.widgetFile);
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
      bundle = { version, body, etag, lastModified: info.mtime.toUTCString() };
    }
    return bundle;
  }

  router.get('/widget/confera-registration.js', async (req, res) => {
    const current = await load();
    if (!current) throw new ProxyError(404, 'widget_not_built', 'The widget bundle is not built yet; run npm run build');
    res.set({
      'Content-Type': 'application/javascript; charset=utf-8',
      'Cache-Control': CACHE_CONTROL,
      ETag: current.etag,
      'Last-Modified': current.lastModified,
      'Access-Control-Allow-Origin': '*',
    });
    if (matches(req.get('if-none-match'), current.etag)) {
      res.status(304).end();
      return;
    }
    res.send(current.body);
  });
  return router;
}
