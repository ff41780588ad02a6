import type { RequestHandler, Response } from 'express';
import { CreateRegistration, fieldErrors, IdempotencyKey, LIMITS, type FieldErrors } from '../../contract/index.js';
import { strictJsonReviver } from '../../lib/strict-json.js';
import { ProxyError } from '../errors.js';

/** A submit as the handler sees it: a parsed create body and the key that makes it idempotent. */
export interface Submission {
  body: CreateRegistration;
  idempotencyKey: string | undefined;
}

export function submissionOf(res: Response): Submission {
  return res.locals.submission as Submission;
}

const invalid = (fields: FieldErrors) => new ProxyError(400, 'validation_failed', 'Some fields are not valid', { details: { fields } });

/**
 * Checks a submit against the contract before it costs a backend round trip, and settles
 * its idempotency key: the `Idempotency-Key` header (CORS) or `submissionId` in the payload
 * (JSONP, which cannot send headers). `submissionId` is taken out of the body, since the
 * backend refuses unknown keys.
 */
function parse(raw: unknown, headerKey: string | undefined): Submission {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalid({ '(body)': ['Must be a JSON object'] });
  const { submissionId, ...rest } = raw as Record<string, unknown>;
  const keySource = headerKey !== undefined ? 'Idempotency-Key' : 'submissionId';
  const candidate = headerKey ?? submissionId;
  let idempotencyKey: string | undefined;
  if (candidate !== undefined) {
    const key = IdempotencyKey.safeParse(candidate);
    if (!key.success) throw invalid({ [keySource]: key.error.issues.map((issue) => issue.message) });
    idempotencyKey = key.data;
  }
  const body = CreateRegistration.safeParse(rest);
  if (!body.success) throw invalid(fieldErrors(body.error.issues));
  return { body: body.data, idempotencyKey };
}

/** The CORS submit: the parsed JSON body plus the `Idempotency-Key` header. */
export const submissionFromBody: RequestHandler = function submissionFromBody(req, res, next) {
  res.locals.submission = parse(req.body, req.get('idempotency-key'));
  next();
};

/**
 * The JSONP submit (seed 004): `method=post&format=json&jsonData=…`. Its errors reach the
 * error middleware, which answers them as JSONP. `jsonData` is parsed as the JSON bodies are
 * (`strictJsonReviver`: no `__proto__` key, no lone surrogate). Parse errors are reported
 * without the parser's message, which quotes the input (personal data).
 */
export const submissionFromJsonData: RequestHandler = function submissionFromJsonData(req, res, next) {
  const { format, jsonData } = req.query;
  if (format !== 'json') throw new ProxyError(406, 'not_acceptable', 'A JSONP submit needs format=json');
  if (typeof jsonData !== 'string' || jsonData === '') throw invalid({ jsonData: ['Required'] });
  if (Buffer.byteLength(jsonData, 'utf8') > LIMITS.jsonDataBytes) {
    throw new ProxyError(413, 'payload_too_large', `jsonData is larger than ${LIMITS.jsonDataBytes / 1024} KiB`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(jsonData, strictJsonReviver);
  } catch {
    throw new ProxyError(400, 'invalid_json', 'jsonData is not valid JSON');
  }
  res.locals.submission = parse(raw, undefined);
  next();
};
