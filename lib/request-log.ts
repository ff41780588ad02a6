import type { RequestHandler } from 'express';
import type { Logger } from './logger.js';

/**
 * One line per request, for both servers: method, path, status, time. Never the query string
 * (a JSONP submit carries a person's data in `jsonData`), never headers (the API key,
 * Referer, cookies of the customer's site), never a body (SPEC §3). `redactPath` hides what a
 * path itself must not tell a log reader (the proxy's receipt names are capability URLs).
 *
 * Written out rather than pino-http (issue 14): pino-http made a child logger and a request
 * id per request, ~11 % of the proxy's CPU for its cached config, much of it garbage; the
 * line is the same (`req.method`, `req.path`, `res.status`, `ms`).
 */
export function requestLog(logger: Logger, options: { redactPath?: (path: string) => string } = {}): RequestHandler {
  const redact = options.redactPath ?? ((path: string) => path);
  // Request lines are info; at a quieter level the middleware would only cost (bench: ~15% CPU).
  if (!logger.isLevelEnabled('info')) return (_req, _res, next) => next();
  // Without the logger's redaction: the line holds none of the keys it looks for (its shape is
  // fixed here), and pino's redactor parses its paths again on every line it sees (issue 14:
  // 5 % of what a proxied submit allocated). Every other line keeps it.
  const lines = logger.child({}, { redact: [] });
  return function requestLog(req, res, next) {
    const started = performance.now();
    const method = req.method;
    const url = req.url;
    // Written when the answer is out (`finish`), or on `close` for one that never was: `close`
    // alone can come later, when a keep-alive socket closes, after lines logged meanwhile.
    const log = () => {
      res.off('finish', log);
      res.off('close', log);
      const q = url.indexOf('?');
      const line = {
        req: { method, path: redact(q === -1 ? url : url.slice(0, q)) },
        res: { status: res.statusCode },
        ms: Math.round(performance.now() - started),
      };
      if (!res.writableFinished) lines.warn(line, 'request aborted');
      else if (res.statusCode >= 500) lines.warn(line, 'request failed');
      else lines.info(line, 'request');
    };
    res.once('finish', log);
    res.once('close', log);
    next();
  };
}
