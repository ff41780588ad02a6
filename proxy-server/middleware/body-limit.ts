import type { RequestHandler } from 'express';
import { jsonBody as readJsonBody } from '../../lib/json-body.js';
import { ProxyError } from '../errors.js';

/**
 * The submit's JSON body, read as the backend reads it (lib/json-body.ts: ≤ 32 KiB, a declared
 * Content-Length past it refused at once, a chunked body as soon as it passes it, the
 * connection then closed), refused with the proxy's own errors.
 */
export const jsonBody: RequestHandler = readJsonBody({
  refuse: (failure) => new ProxyError(failure.status, failure.code, failure.message),
});
