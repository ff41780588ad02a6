import { Router, type Response } from 'express';
import { readFileSync } from 'node:fs';
import type { ConfigCache } from '../config-cache.js';
import type { FormTokens } from '../form-token.js';
import { escapeHtml } from '../../lib/html.js';

export interface FormRouterDeps {
  configCache: ConfigCache;
  formTokens: FormTokens;
  /** Who may frame `/form`: `*` or exact origins (FRAME_ANCESTORS). */
  frameAncestors: '*' | readonly string[];
}

const asset = (name: string) => readFileSync(new URL(`../form/${name}`, import.meta.url), 'utf8');
const ASSETS = {
  '/form.js': { type: 'application/javascript; charset=utf-8', body: asset('form.js') },
  '/form.css': { type: 'text/css; charset=utf-8', body: asset('form.css') },
  '/embed.js': { type: 'application/javascript; charset=utf-8', body: asset('embed.js') },
};

/**
 * The query parameters `/form` takes, each with the shape it must have: a value that does not
 * fit is ignored (never echoed). Prefills are free text and only ever written escaped.
 */
const PARAMETERS: Record<string, RegExp> = {
  lang: /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}$/,
  ticket: /^[\w-]{1,64}$/,
  theme: /^(light|dark|auto)$/,
  accent: /^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/,
  'prefill-first-name': /^[^\p{Cc}]{1,32}$/u,
  'prefill-last-name': /^[^\p{Cc}]{1,32}$/u,
  'prefill-email': /^[^\s\p{Cc}]{1,128}$/u,
  embed: /^1$/,
};

function parameters(query: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, shape] of Object.entries(PARAMETERS)) {
    const value = query[name];
    if (typeof value === 'string' && shape.test(value)) out[name] = value;
  }
  return out;
}

function policy(frameAncestors: '*' | readonly string[]): string {
  const ancestors = frameAncestors === '*' ? '*' : frameAncestors.length ? frameAncestors.join(' ') : "'none'";
  return [
    "default-src 'none'",
    "script-src 'self'",
    "connect-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${ancestors}`,
  ].join('; ');
}

/**
 * The hosted form (SPEC §3d, issue 12): `/form` is a page of the proxy's own origin that
 * renders the widget against the proxy's API, for website builders that take only a link or
 * an iframe; `/embed.js` turns one script tag into a sized iframe of it. The page is the only
 * route that may be framed (`frame-ancestors` from FRAME_ANCESTORS); its policy allows
 * nothing from elsewhere.
 */
export function formRouter(deps: FormRouterDeps): Router {
  const router = Router();
  const csp = policy(deps.frameAncestors);

  router.get('/form', async (req, res) => {
    const p = parameters(req.query as Record<string, unknown>);
    const name = await deps.configCache.get().then(
      (cached) => cached.response.data.conference.name,
      () => undefined,
    );
    const endpoint = `/api/registration?form_token=${deps.formTokens.issue()}`;
    const attributes = [
      `endpoint="${escapeHtml(endpoint)}"`,
      p.lang && `lang="${escapeHtml(p.lang)}"`,
      p.ticket && `ticket-type="${escapeHtml(p.ticket)}"`,
      p.theme && `theme="${escapeHtml(p.theme)}"`,
      ...(['prefill-first-name', 'prefill-last-name', 'prefill-email'] as const).map((key) => p[key] && `${key}="${escapeHtml(p[key])}"`),
      p.accent && `data-accent="${escapeHtml(p.accent)}"`,
    ].filter(Boolean);
    const title = name ? `Register for ${name}` : 'Registration';
    setPageHeaders(res, csp);
    res.send(`<!doctype html>
<html lang="${escapeHtml(p.lang ?? 'en')}"${p.theme ? ` data-theme="${escapeHtml(p.theme)}"` : ''}>
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="robots" content="noindex" />
    <title>${escapeHtml(title)}</title>
    <link rel="stylesheet" href="/form.css" />
    <script type="module" src="/widget/confera-registration.js"></script>
    <script type="module" src="/form.js"></script>
  </head>
  <body${p.embed ? ' class="embed"' : ''}>
    <main>
      ${p.embed ? '' : `<h1 class="visually-hidden">${escapeHtml(name ?? 'Registration')}</h1>\n      `}<confera-registration ${attributes.join(' ')}>
        <p>This registration form needs JavaScript.</p>
      </confera-registration>
    </main>
  </body>
</html>
`);
  });

  for (const [path, file] of Object.entries(ASSETS)) {
    router.get(path, (_req, res) => {
      // Public code, like the widget: `*` because the form in a sandbox without allow-same-origin
      // has an opaque origin, and fetches its module script (form.js) in CORS mode.
      res.set({ 'Content-Type': file.type, 'Cache-Control': 'public, max-age=300', 'Access-Control-Allow-Origin': '*' });
      res.send(file.body);
    });
  }
  return router;
}

function setPageHeaders(res: Response, csp: string): void {
  res.set({ 'Content-Security-Policy': csp, 'Cache-Control': 'no-store', 'Content-Type': 'text/html; charset=utf-8' });
  // frame-ancestors decides who frames this page; X-Frame-Options would forbid every framer.
  res.removeHeader('X-Frame-Options');
  // The page itself is same-origin with its API: no referrer needs to leave it.
  res.set('Referrer-Policy', 'same-origin');
}
