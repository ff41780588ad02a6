import * as z from 'zod';

/** Every error code of the Public API with its HTTP status: the table of SPEC §2, in one place. */
export const ERROR_STATUS = {
  invalid_json: 400,
  validation_failed: 400,
  missing_api_key: 401,
  invalid_api_key: 401,
  insufficient_scope: 403,
  conference_not_live: 403,
  not_found: 404,
  registration_closed: 404,
  method_not_allowed: 405,
  not_acceptable: 406,
  duplicate_registration: 409,
  event_full: 409,
  ticket_sold_out: 409,
  idempotency_key_in_use: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unknown_ticket_type: 422,
  unknown_payment_method: 422,
  payment_method_required: 422,
  pricing_closed: 422,
  idempotency_key_reused: 422,
  rate_limited: 429,
  internal_error: 500,
  not_ready: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export const ErrorCode = z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]);

/** `details` of `validation_failed`: messages per field path (`customFields.dietary`). */
export const FieldErrors = z.record(z.string(), z.array(z.string()));
export type FieldErrors = z.infer<typeof FieldErrors>;

/**
 * Zod issues as `validation_failed` details: messages per field path (`customFields.dietary`);
 * an unknown key is named as a field of its own. Built through a Map, so that a key such as
 * `__proto__` is data, never the prototype.
 */
export function fieldErrors(issues: readonly z.core.$ZodIssue[]): FieldErrors {
  const fields = new Map<string, string[]>();
  const add = (path: PropertyKey[], message: string) => {
    const key = path.map(String).join('.') || '(body)';
    fields.set(key, [...(fields.get(key) ?? []), message]);
  };
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') for (const key of issue.keys) add([...issue.path, key], 'Unknown field');
    else add(issue.path, issue.message);
  }
  return Object.fromEntries(fields);
}

/** The error body of every non-2xx answer of the backend. */
export const ErrorBody = z.object({
  error: z.object({
    /** A string, not the enum: a newer backend may add codes, and clients must still read them. */
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
