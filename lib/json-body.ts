import type { IncomingMessage } from 'node:http';
import type { Transform } from 'node:stream';
import { TextDecoder } from 'node:util';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { RequestHandler } from 'express';
import { LIMITS } from '../contract/index.js';
import { sendContinue } from './http-server.js';
import type { InputFailure } from './input-failure.js';
import { strictJsonReviver } from './strict-json.js';

export interface JsonBodyOptions {
  /** The server's own error for a refused body (its 400, 413 or 415), as in lib/rate-limit.ts. */
  refuse: (failure: InputFailure) => Error;
  /** Default: the SPEC's 32 KiB. */
  limitBytes?: number;
}

const failures = {
  mediaType: { status: 415, code: 'unsupported_media_type', message: 'Send the body as application/json' },
  encoding: { status: 415, code: 'unsupported_media_type', message: 'Send the body as UTF-8 application/json' },
  tooLarge: { status: 413, code: 'payload_too_large', message: 'The request body is larger than 32 KiB' },
  notJson: { status: 400, code: 'invalid_json', message: 'The request body is not valid JSON' },
  notWhole: { status: 400, code: 'invalid_json', message: 'The request body was not received whole' },
  notInflated: { status: 400, code: 'invalid_json', message: 'The request body could not be decompressed' },
} satisfies Record<string, InputFailure>;

/**
 * `application/json` (any parameters). Read from the header itself: Express's `req.is()`
 * answers null for a request without a body, which would turn an empty JSON POST into 415
 * instead of the 400 it deserves.
 */
export function isJsonContentType(header: string | undefined): boolean {
  return (header ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';
}

/** A decoder for the body's `charset` (RFC 8259: a UTF; the default UTF-8), or null for any other. */
function textDecoder(contentType: string): TextDecoder | null {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType)?.[1]?.toLowerCase() ?? 'utf-8';
  if (!charset.startsWith('utf-')) return null;
  try {
    return new TextDecoder(charset);
  } catch {
    return null;
  }
}

function decompressor(encoding: string): Transform | null | undefined {
  if (encoding === 'identity') return null;
  if (encoding === 'gzip') return createGunzip();
  if (encoding === 'deflate') return createInflate();
  if (encoding === 'br') return createBrotliDecompress();
  return undefined;
}

/**
 * Reads the body as it arrives and gives up the moment it passes `limit` (decompressed bytes:
 * a small gzip bomb gains nothing). Then the request is paused, never drained: its
 * connection closes once the 413 is out (lib/http-server.ts), however much the client still
 * means to send.
 */
function readLimited(req: IncomingMessage, inflate: Transform | null, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const source = inflate ? req.pipe(inflate) : req;
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (failure?: InputFailure) => {
      if (settled) return;
      settled = true;
      source.off('data', onData);
      if (inflate) {
        req.unpipe(inflate);
        inflate.destroy();
      }
      if (failure) {
        req.pause();
        reject(failure);
      } else resolve(Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) finish(failures.tooLarge);
      else chunks.push(chunk);
    };
    source.on('data', onData);
    source.once('end', () => finish());
    source.once('error', () => finish(inflate ? failures.notInflated : failures.notWhole));
    req.once('error', () => finish(failures.notWhole));
    req.once('close', () => req.complete || finish(failures.notWhole));
  });
}

/** Strict JSON (an object or an array), parsed with the strict reviver; an empty body is `{}`, as body-parser had it. */
function parseJson(text: string): unknown {
  if (text.length === 0) return {};
  if (!/^[\x20\x09\x0a\x0d]*[[{]/.test(text)) throw new SyntaxError('Not a JSON object or array');
  return JSON.parse(text, strictJsonReviver);
}

/**
 * The JSON body of both servers (SPEC §2, §3: ≤ 32 KiB): 415 unless the Content-Type is
 * application/json in a UTF and the encoding one we inflate; 413 at once for a declared
 * Content-Length past the limit, and as soon as the bytes received pass it (a chunked or a
 * lying body); 400 `invalid_json` when it does not parse, holds a `__proto__` key or a lone
 * surrogate, or arrives broken. On a 413 the connection is closed, not drained.
 * `req.body` stays undefined for a request without a body.
 *
 * @example router.post('/', jsonBody({ refuse: (f) => new ApiError(f.code, f.message) }), handler)
 */
export function jsonBody(options: JsonBodyOptions): RequestHandler {
  const limit = options.limitBytes ?? LIMITS.bodyBytes;
  return function jsonBody(req, res, next) {
    const refuse = (failure: InputFailure) => {
      if (failure.status === 413) res.set('Connection', 'close');
      next(options.refuse(failure));
    };
    const contentType = req.headers['content-type'] ?? '';
    if (!isJsonContentType(contentType)) return refuse(failures.mediaType);
    const decoder = textDecoder(contentType);
    const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
    const inflate = decompressor(encoding);
    if (!decoder || inflate === undefined) return refuse(failures.encoding);
    // No Content-Length and no Transfer-Encoding: a request without a body.
    if (req.headers['transfer-encoding'] === undefined && req.headers['content-length'] === undefined) return next();
    // Refused before a byte is read (or invited: `Expect: 100-continue`).
    if (encoding === 'identity' && Number(req.headers['content-length']) > limit) return refuse(failures.tooLarge);
    sendContinue(req, res);
    readLimited(req, inflate, limit).then((bytes) => {
      try {
        req.body = parseJson(decoder.decode(bytes));
      } catch {
        return refuse(failures.notJson);
      }
      next();
    }, refuse);
  };
}
