import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Router } from 'express';
import { ProxyError } from '../errors.js';

/** The bundle's URL is not versioned: browsers keep it briefly, then revalidate by ETag. */
const CACHE_CONTROL = 'public, max-age=300';
/** A part's name carries its content hash (`de-CB5O1gZW.js`): it never changes. */
const CHUNK_CACHE_CONTROL = 'public, max-age=31536000, immutable';
const BUNDLE_NAME = 'confera-registration.js';
/**
 * The modules the bundle fetches beside itself on demand (Vite's chunk names: the module's
 * name and its hash): the languages (`de-…`), the JSONP transport (`jsonp-…`) and the receipt
 * upload (`receipt-…`). The build and the bundle test use this same pattern.
 */
export const WIDGET_PART_NAME = /^[a-z]+-[\w-]{8}\.js$/;
const CHUNK_NAME = WIDGET_PART_NAME;

/** The encodings the build writes beside the bundle (scripts/build-widget.ts), best first. */
const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;

interface Variant {
  body: Buffer;
  etag: string;
}

interface Bundle {
  /** What the file was when read: a rebuild changes it, and the bundle is read again. */
  version: string;
  identity: Variant;
  encoded: Map<string, Variant>;
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

async function readIfThere(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch {
    return undefined;
  }
}

/**
 * `GET /widget/confera-registration.js` (SPEC §3, issue 16): the built widget from memory,
 * precompressed with brotli or gzip where the browser takes it (the build writes `.br` and
 * `.gz` beside the bundle; a copy that is missing or older than the bundle is not used). Each
 * representation has its own strong ETag (a content hash, so every proxy behind a load
 * balancer agrees on it) and `Vary: Accept-Encoding`; a short public cache life.
 * `Access-Control-Allow-Origin: *` because `<script type="module">` fetches in CORS mode and
 * the bundle is public code (it holds no key). No source map is served, and the bundle does
 * not reference one. Until the widget is built, a JSON 404 that says so. The language modules
 * the bundle imports on demand (`de-<hash>.js`) are served the same way, cached for good.
 */
export function widgetRouter(deps: { widgetFile: string }): Router {
  const router = Router();
  const dir = dirname(deps.widgetFile);
  const bundles = new Map<string, Bundle>();

  const variant = (body: Buffer, tag: string): Variant => ({
    body,
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}${tag}"`,
  });

  async function load(file: string): Promise<Bundle | undefined> {
    const info = await stat(file).catch(() => undefined);
    if (!info) return undefined;
    // The copies count too: the build writes them after the bundle, and a request in between
    // must not pin a version without them.
    const copies = await Promise.all(
      ENCODINGS.map(({ suffix }) =>
        stat(file + suffix).then(
          (c) => c.mtimeMs,
          () => 0,
        ),
      ),
    );
    const version = `${info.size}:${info.mtimeMs}:${copies.join(':')}`;
    const known = bundles.get(file);
    if (known?.version === version) return known;
    const body = await readFile(file);
    const encoded = new Map<string, Variant>();
    for (const { name, suffix } of ENCODINGS) {
      const copy = await stat(file + suffix).catch(() => undefined);
      // A copy left from an earlier build would serve old code under the new name.
      if (!copy || copy.mtimeMs < info.mtimeMs) continue;
      const data = await readIfThere(file + suffix);
      if (data) encoded.set(name, variant(data, `-${name}`));
    }
    const bundle = { version, identity: variant(body, ''), encoded, lastModified: info.mtime.toUTCString() };
    bundles.set(file, bundle);
    return bundle;
  }

  // The bundle, and the parts it imports beside itself (languages, JSONP, receipts).
  router.get('/widget/:file', async (req, res, next) => {
    const name = req.params.file;
    const chunk = CHUNK_NAME.test(name);
    if (name !== BUNDLE_NAME && !chunk) return next();
    const current = await load(chunk ? join(dir, name) : deps.widgetFile);
    if (!current && chunk) return next();
    if (!current) throw new ProxyError(404, 'widget_not_built', 'The widget bundle is not built yet; run npm run build');
    // Our order, not the header's: browsers list `gzip, deflate, br` with equal weight, and
    // negotiation would then pick gzip, though brotli is smaller.
    const encoding = [...current.encoded.keys()].find((name) => req.acceptsEncodings(name) === name);
    const chosen = (encoding && current.encoded.get(encoding)) || current.identity;
    res.vary('Accept-Encoding');
    res.set({
      'Content-Type': 'application/javascript; charset=utf-8',
      'Cache-Control': chunk ? CHUNK_CACHE_CONTROL : CACHE_CONTROL,
      ETag: chosen.etag,
      'Last-Modified': current.lastModified,
      'Access-Control-Allow-Origin': '*',
    });
    if (chosen !== current.identity) res.set('Content-Encoding', encoding as string);
    if (matches(req.get('if-none-match'), chosen.etag)) {
      res.status(304).end();
      return;
    }
    res.send(chosen.body);
  });
  return router;
}
