import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../../lib/logger.js';
import { ApiError } from '../errors.js';

/** body-parser's error types, each with the SPEC §2 code a client should see. */
function fromBodyParser(error: { type?: string }): ApiError | null {
  switch (error.type) {
    case 'entity.too.large':
      return new ApiError('payload_too_large', 'The request body is larger than 32 KiB');
    case 'entity.parse.failed':
      return new ApiError('invalid_json', 'The request body is not valid JSON');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ApiError('unsupported_media_type', 'Send the body as UTF-8 application/json');
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new ApiError('invalid_json', 'The request body was not received whole');
    default:
      return null;
  }
}

/** Errors of the HTTP layers below our routes that are the client's doing, not ours. */
function fromHttpLayer(error: { type?: string; status?: unknown; errno?: unknown }): ApiError | null {
  const parser = fromBodyParser(error);
  if (parser) return parser;
  // A gzip, deflate or br body that does not decompress: body-parser passes zlib's error on
  // (its `errno`), marked 400 and without a type.
  if (error.status === 400 && typeof error.errno === 'number') {
    return new ApiError('invalid_json', 'The request body could not be decompressed');
  }
  // A path parameter that is not valid percent-encoding (the router's URIError): nothing is there.
  if (error instanceof URIError) return new ApiError('not_found', 'There is nothing at this path');
  return null;
}

/** Where in our code an unexpected error came from: one `file:line`, never the message or stack. */
function origin(error: unknown): string | undefined {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  return /\/(backend|contract|lib)\/[^\s)]+:\d+/.exec(stack)?.[0];
}

/**
 * The one error middleware (STYLE §3): ApiErrors become their SPEC body; anything else is
 * logged once (an id, a type, a code, a location: no message, since driver messages can hold
 * SQL or personal data) and answered with a generic 500 that names the same id.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, _req, res, _next) => {
    let apiError = error instanceof ApiError ? error : fromHttpLayer(error ?? {});
    if (!apiError) {
      const errorId = randomUUID();
      logger.error({ errorId, errorType: error?.constructor?.name, errorCode: error?.code, at: origin(error) }, 'unexpected error');
      apiError = new ApiError('internal_error', 'Something went wrong on our side; please try again', { error_id: errorId });
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(apiError.status).set(apiError.headers).set('Cache-Control', 'no-store').json(apiError.toBody());
  };
}

/** The JSON 404, registered last. */
export const notFound: RequestHandler = (_req, _res, next) => {
  next(new ApiError('not_found', 'There is nothing at this path'));
};

/** For a path that exists: any other method gets 405 with the Allow header (SPEC §2). */
export function methodNotAllowed(allowed: string[]): RequestHandler {
  return (req, _res, next) => {
    next(new ApiError('method_not_allowed', `${req.method} is not allowed here`, { allowed }, { Allow: allowed.join(', ') }));
  };
}
