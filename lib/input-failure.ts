export interface InputFailure {
  status: 400 | 404 | 413 | 415;
  code: 'invalid_json' | 'not_found' | 'payload_too_large' | 'unsupported_media_type';
  message: string;
}

/**
 * A refusal of what the client sent (the body readers make them, lib/json-body.ts), and
 * errors thrown below the routes that are the client's doing, not ours, with the answer both
 * servers give; null for anything else.
 */
export function inputFailure(error: unknown): InputFailure | null {
  const { code } = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown };
  // PostgreSQL refuses text it cannot store (a NUL): the contract refuses control characters
  // first, this is the net under it, so that such input is never a 500.
  if (code === '22021' || code === '22P05') {
    return { status: 400, code: 'invalid_json', message: 'The request holds a character that cannot be stored' };
  }
  // A path that is not valid percent-encoding (the router's URIError): nothing is there.
  if (error instanceof URIError) return { status: 404, code: 'not_found', message: 'There is nothing at this path' };
  return null;
}
