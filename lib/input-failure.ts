import { LIMITS } from '../contract/index.js';

export interface InputFailure {
  status: 400 | 404 | 413 | 415;
  code: 'invalid_json' | 'not_found' | 'payload_too_large' | 'unsupported_media_type';
  message: string;
}

/**
 * Errors thrown below the routes that are the client's doing, not ours, with the answer both
 * servers give; null for anything else.
 */
export function inputFailure(error: unknown): InputFailure | null {
  const { code, type, status, errno } = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  // PostgreSQL refuses text it cannot store (a NUL): the contract refuses control characters
  // first, this is the net under it, so that such input is never a 500.
  if (code === '22021' || code === '22P05') {
    return { status: 400, code: 'invalid_json', message: 'The request holds a character that cannot be stored' };
  }
  switch (type) {
    case 'entity.too.large':
      return { status: 413, code: 'payload_too_large', message: `The request body is larger than ${LIMITS.bodyBytes / 1024} KiB` };
    case 'entity.parse.failed':
      return { status: 400, code: 'invalid_json', message: 'The request body is not valid JSON' };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return { status: 415, code: 'unsupported_media_type', message: 'Send the body as UTF-8 application/json' };
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return { status: 400, code: 'invalid_json', message: 'The request body was not received whole' };
  }
  if (status === 400 && typeof errno === 'number') {
    return { status: 400, code: 'invalid_json', message: 'The request body could not be decompressed' };
  }
  // A path that is not valid percent-encoding (the router's URIError): nothing is there.
  if (error instanceof URIError) return { status: 404, code: 'not_found', message: 'There is nothing at this path' };
  return null;
}
