import express, { type RequestHandler } from 'express';
import { LIMITS } from '../contract/index.js';
import { strictJsonReviver } from './strict-json.js';

/** express.json with the SPEC's 32 KiB limit and the strict reviver; the caller checks the Content-Type. */
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
