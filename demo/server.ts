import express from 'express';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';

/**
 * The demo site: a static page on its own origin that embeds the widget with the two lines
 * a customer would paste (SPEC §5). Only the proxy's URL is filled in.
 */
export function startDemoSite(options: { port: number; proxyUrl: string }): Promise<Server> {
  const page = readFileSync(new URL('./index.html', import.meta.url), 'utf8').replaceAll('{{PROXY_URL}}', options.proxyUrl);
  const app = express();
  app.disable('x-powered-by');
  app.get('/', (_req, res) => {
    res.type('html').set('Cache-Control', 'no-store').send(page);
  });
  return new Promise((resolve) => {
    const server = app.listen(options.port, () => resolve(server));
  });
}
