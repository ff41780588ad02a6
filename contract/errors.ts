import * as z from 'zod';
import { ERROR_STATUS } from './browser.js';

type Code = keyof typeof ERROR_STATUS;
export const ErrorCode = z.enum(Object.keys(ERROR_STATUS) as [Code, ...Code[]]);
export type ErrorCode = z.infer<typeof ErrorCode>;

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
