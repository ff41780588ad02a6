import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp } from 'pino-http';
import type { RequestHandler } from 'express';
import type { Logger } from '../../lib/logger.js';

/**
 * One line per request: method, path, status, time. Never the query string (a JSONP submit
 * carries a person's data in `jsonData`), never headers (Referer, cookies of the customer's
 * site), never a body (SPEC §3).
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
    },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'warn' : 'info'),
    customSuccessMessage: () => 'request',
    customErrorMessage: () => 'request failed',
    customAttributeKeys: { responseTime: 'ms' },
  }) as unknown as RequestHandler;
}
