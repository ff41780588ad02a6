import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp } from 'pino-http';
import type { RequestHandler } from 'express';
import type { Logger } from '../../lib/logger.js';

/**
 * One line per request: method, path without the query string, status, time. No headers
 * (they carry the API key), no query (it can carry personal data), no body.
 */
export function requestLog(logger: Logger): RequestHandler {
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
