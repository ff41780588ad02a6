import express from 'express';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { escapeHtml } from '../lib/html.js';
import { PAGES, type DemoPage } from './pages.js';

const PUBLIC = fileURLToPath(new URL('./public/', import.meta.url));

/** One page: the nav, the text, the snippet beside the live example (the same markup). */
function render(page: DemoPage, proxyUrl: string, csp: string | undefined): string {
  const example = page.example.replaceAll('{{PROXY}}', proxyUrl);
  const nav = PAGES.map((p) => `<a href="${p.path}"${p.path === page.path ? ' aria-current="page"' : ''}>${escapeHtml(p.title)}</a>`).join(
    '\n        ',
  );
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${escapeHtml(page.title)} · Confera Registration demo</title>
    <link rel="stylesheet" href="/demo.css" />
  </head>
  <body>
    <header>
      <p class="site">Confera Demo 2027 <span>a customer’s website, on its own origin</span></p>
      <nav aria-label="Demo pages">
        ${nav}
      </nav>
    </header>
    <main>
      <h1>${escapeHtml(page.title)}</h1>
      <p class="intro">${page.intro}</p>
      <div class="demo">
        <section aria-labelledby="snippet-heading">
          <h2 id="snippet-heading">The snippet</h2>
          <pre><code>${escapeHtml(example)}</code></pre>${csp ? `\n          <h2>The page’s policy</h2>\n          <pre><code>Content-Security-Policy: ${escapeHtml(csp!)}</code></pre>` : ''}
        </section>
        <section class="live" aria-label="The live widget">
${example}
        </section>
      </div>${page.scripts ? `\n      <section aria-labelledby="log-heading"><h2 id="log-heading">Events</h2><ol id="log" aria-live="polite"></ol></section>` : ''}
    </main>${(page.scripts ?? []).map((src) => `\n    <script type="module" src="${src}"></script>`).join('')}
  </body>
</html>
`;
}

/**
 * The demo site (SPEC §6, issue 11): plain pages on their own origin, each embedding the
 * widget one way. Only the proxy's URL is filled in; the strict-CSP page is served with the
 * README's policy.
 */
export function createDemoSite(options: { proxyUrl: string }): express.Express {
  const app = express();
  app.disable('x-powered-by');
  for (const page of PAGES) {
    const csp = page.csp?.replaceAll('{{PROXY}}', options.proxyUrl);
    const html = render(page, options.proxyUrl, csp);
    app.get(page.path, (_req, res) => {
      res.type('html').set('Cache-Control', 'no-store');
      if (csp) res.set('Content-Security-Policy', csp);
      res.send(html);
    });
  }
  app.use(express.static(PUBLIC, { index: false }));
  // No icon: an empty answer rather than a 404 in every visitor's console.
  app.get('/favicon.ico', (_req, res) => void res.status(204).end());
  return app;
}

export function startDemoSite(options: { port: number; proxyUrl: string }): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createDemoSite(options).listen(options.port, () => resolve(server));
    server.once('error', reject);
  });
}
