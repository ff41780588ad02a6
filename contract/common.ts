import * as z from 'zod';

/**
 * zod's global setting for the messages of the wire contract: a missing value reads
 * "Required", not zod's "expected string, received undefined". Called by each entry point
 * (the servers, the admin CLI, the demo, the test helpers that stand in for them), never as
 * a side effect of importing the contract: a library user keeps zod's settings their own.
 */
export function configureContractMessages(): void {
  z.config({ customError: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'Required' : undefined) });
}

/** In `u` mode a surrogate pair is one code point, so this matches only unpaired halves. */
const NO_LONE_SURROGATE = /^[^\uD800-\uDFFF]*$/u;

/** Single-line text: no control characters (they break CSV, logs and e-mail headers). */
export const singleLine = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: `Must be at most ${max} characters` })
    .regex(/^[^\p{Cc}]*$/u, { error: 'Must not contain control characters' })
    .regex(NO_LONE_SURROGATE, { error: 'Must be valid Unicode text' });

/** Multi-line text: tabs and newlines allowed, other control characters not. */
export const multiLine = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: `Must be at most ${max} characters` })
    .regex(/^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/u, { error: 'Must not contain control characters' })
    .regex(NO_LONE_SURROGATE, { error: 'Must be valid Unicode text' });

/** `2027-05-10`: a calendar date. */
export const IsoDate = z.iso.date();
/** `2026-11-01T00:00:00Z`: an instant; an offset is required so that it means one moment. */
export const IsoDateTime = z.iso.datetime({ offset: true });

/** Ids chosen by an organiser (ticket types, phases, payment methods). */
export const Slug = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, { error: 'Use letters, digits, "-" and "_"' });

export const CurrencyCode = z.string().regex(/^[A-Z]{3}$/, { error: 'Must be an ISO 4217 code such as EUR' });

/** Minor units (cents); a price of 0 is free. */
export const MinorUnits = z.int().min(0).max(100_000_000);

export const Scope = z.enum(['registrations:read', 'registrations:write']);
export type Scope = z.infer<typeof Scope>;
