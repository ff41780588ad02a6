import * as z from 'zod';
import { LIMITS } from './browser.js';
import { multiLine, singleLine } from './common.js';
import { Email } from './registration.js';

/**
 * Seed 004's "REST Pub API: Event Registrations" resource (SPEC §3b), as the proxy serves it
 * at `/api/2012-02-01/pub/resources/events/{EventID}/registrations/`. Its PascalCase shape
 * and length limits are seed 004's; strict objects, as every request body (STYLE, zod).
 */

/** Seed 004's limits, in characters after trimming. */
export const PUB_LIMITS = { name: LIMITS.name, email: LIMITS.email, phone: 32, note: 64, code: 16, employment: 64, comments: 256 } as const;

const optional = (max: number) => singleLine(max).optional();

export const PubEmployment = z.strictObject({
  OrganisationName: optional(PUB_LIMITS.employment),
  Position: optional(PUB_LIMITS.employment),
  Department: optional(PUB_LIMITS.employment),
  BusinessUnit: optional(PUB_LIMITS.employment),
});
export type PubEmployment = z.infer<typeof PubEmployment>;

export const PubContact = z.strictObject({
  FirstName: singleLine(PUB_LIMITS.name).min(1, { error: 'Required' }),
  LastName: singleLine(PUB_LIMITS.name).min(1, { error: 'Required' }),
  Email,
  PhoneWork: optional(PUB_LIMITS.phone),
  PhoneHome: optional(PUB_LIMITS.phone),
  Mobile: optional(PUB_LIMITS.phone),
  Employment: PubEmployment.optional(),
  SpecialDiet: optional(PUB_LIMITS.note),
  Disability: optional(PUB_LIMITS.note),
  Code: optional(PUB_LIMITS.code),
});
export type PubContact = z.infer<typeof PubContact>;

/** The POST body (and the JSONP `jsonData`, once its `SubmissionId` is taken out). */
export const PubRegistration = z.strictObject({
  Contact: PubContact,
  Comments: multiLine(PUB_LIMITS.comments).optional(),
});
export type PubRegistration = z.infer<typeof PubRegistration>;

/**
 * Seed 004's error object, for POST and JSONP alike: `Code` is the PascalCase of the proxy's
 * code, `Fields` the field messages by seed-004 path (`Contact.PhoneWork`), `RetryAfterSeconds`
 * when rate limited. A success answer never has `Success`.
 */
export const PubErrorPayload = z.object({
  Success: z.literal(false),
  Code: z.string(),
  Message: z.string(),
  Fields: z.record(z.string(), z.array(z.string())).optional(),
  RetryAfterSeconds: z.int().optional(),
  /** For a 500 of our own: the id of its log line. */
  ErrorId: z.string().optional(),
});
export type PubErrorPayload = z.infer<typeof PubErrorPayload>;
