import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from './logger.js';

/**
 * One line per request, for both servers: method, path, status, time. Never the query string
 * (a JSONP submit carries a person's data in `jsonData`), never headers (the API key,
 * Referer, cookies of the customer's site), never a body (SPEC §3).
 */
export function requestLog(logger: Logger): RequestHandler {
  // Request lines are info; at a quieter level the middleware would only cost (bench: ~15% CPU).
  if (!logger.isLevelEnabled('info')) return (_req, _res, next) => next();
  return pinoHttp({
    logger,
    wrapSerializers: false,
    quietReqLogger: true,
    serializers: {
      req: (req: IncomingMessage) => ({ method: req.method, path: (req.url ?? '').split('?')[0] }),
      res: (res: ServerResponse) => ({ status: res.statusCode }),
      // pino's default would log the message and stack; the error middleware already logged
      // what is safe to log (an id, a type, a code) for a 5xx.
      err: (error: unknown) => ({ type: error instanceof Error ? error.constructor.name : typeof error }),
    },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'warn' : 'info'),
    customSuccessMessage: () => 'request',
    customErrorMessage: () => 'request failed',
    customAttributeKeys: { responseTime: 'ms' },
  }) as unknown as RequestHandler;
}
