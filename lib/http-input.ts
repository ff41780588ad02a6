import express, { type RequestHandler } from 'express';
import * as z from 'zod';
import { LIMITS } from '../contract/index.js';

/** A lone UTF-16 surrogate (`"\ud800"` is valid JSON syntax, but not text). */
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * A JSON.parse reviver for every body and payload a server takes (backend and proxy alike):
 * strings must be well-formed Unicode (I-JSON, RFC 7493), or a lone surrogate would be stored
 * as U+FFFD and differ from what the duplicate rule hashed; and a `__proto__` key is refused,
 * since schemas drop it silently (zod does), so an unknown custom field would slip through.
 * Throwing a SyntaxError makes body-parser answer as for any invalid JSON.
 */
export function strictJsonReviver(key: string, value: unknown): unknown {
  if (key === '__proto__') throw new SyntaxError('The JSON holds a __proto__ key');
  if (LONE_SURROGATE.test(key) || (typeof value === 'string' && LONE_SURROGATE.test(value))) {
    throw new SyntaxError('The JSON holds a string that is not well-formed Unicode');
  }
  return value;
}

/** express.json with the SPEC's 32 KiB limit and the reviver above; the caller checks the Content-Type. */
export const parseJsonBody: RequestHandler = express.json({
  limit: LIMITS.bodyBytes,
  strict: true,
  type: () => true,
  reviver: strictJsonReviver,
});

/**
 * `application/json` (any parameters). Read from the header itself: Express's `req.is()`
 * answers null for a request without a body, which would turn an empty JSON POST into 415
 * instead of the 400 it deserves.
 */
export function isJsonContentType(header: string | undefined): boolean {
  return (header ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';
}

export interface InputFailure {
  status: 400 | 404 | 413 | 415;
  code: 'invalid_json' | 'not_found' | 'payload_too_large' | 'unsupported_media_type';
  message: string;
}

/**
 * Errors of the HTTP layers below the routes (body-parser, zlib, the router) that are the
 * client's doing, not ours, with the answer both servers give; null for anything else.
 */
export function inputFailure(
  error: { type?: string; status?: unknown; errno?: unknown; code?: unknown } | null | undefined,
): InputFailure | null {
  if (!error) return null;
  // PostgreSQL refuses text it cannot store (a NUL): the contract refuses control characters
  // first, this is the net under it, so that such input is never a 500.
  if (error.code === '22021' || error.code === '22P05') {
    return { status: 400, code: 'invalid_json', message: 'The request holds a character that cannot be stored' };
  }
  switch (error.type) {
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
  // A gzip, deflate or br body that does not decompress: body-parser passes zlib's error on
  // (its `errno`), marked 400 and without a type.
  if (error.status === 400 && typeof error.errno === 'number') {
    return { status: 400, code: 'invalid_json', message: 'The request body could not be decompressed' };
  }
  // A path that is not valid percent-encoding (the router's URIError): nothing is there.
  if (error instanceof URIError) return { status: 404, code: 'not_found', message: 'There is nothing at this path' };
  return null;
}

/** Where in our code an unexpected error came from: one `file:line`, never the message or stack. */
export function errorOrigin(error: unknown): string | undefined {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  // Frames only (never the message line), and only ours: a driver's own file says nothing.
  for (const frame of stack.split('\n').filter((line) => /^\s+at /.test(line) && !line.includes('node_modules'))) {
    const where = /\/(backend|contract|lib|client|proxy-server)\/[^\s)]+:\d+/.exec(frame)?.[0];
    if (where) return where;
  }
  return undefined;
}

/**
 * `TRUST_PROXY`: `false` (the default), a hop count, `loopback`, or addresses/CIDRs Express
 * understands. `true` is refused: it trusts any `X-Forwarded-For`, so every client could
 * pick its own IP and step around the per-IP rate limit.
 */
export function parseTrustProxy(value: string | undefined): false | number | string {
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') throw new Error('TRUST_PROXY=true trusts any client; give the number of proxies in front (1) or their addresses');
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** `TRUST_PROXY` as an environment variable of either server, parsed by `parseTrustProxy`. */
export const TrustProxyVariable = z
  .string()
  .optional()
  .transform((value, ctx) => {
    try {
      return parseTrustProxy(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  });
