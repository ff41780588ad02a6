import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** How long a token from `/form` lets an opaque-origin page through: a long visit, not a day. */
export const FORM_TOKEN_TTL_MS = 2 * 3600 * 1000;
/** Clocks of several instances may differ a little. */
const SKEW_MS = 60 * 1000;

export interface FormTokens {
  /** A token for a page served now: `<issued-at seconds>.<HMAC>`, URL-safe. */
  issue(): string;
  /** True for a token this secret issued within its lifetime. */
  valid(token: unknown): boolean;
}

/**
 * Short-lived tokens for the hosted form in a sandbox without `allow-same-origin` (SPEC §3d,
 * issue 12): such a page has an opaque origin, so its fetches say `Origin: null` and its
 * scripts send no `Referer`, and neither allow-list check can pass. `/form` puts a token in
 * the endpoint it gives the widget; a request with `Origin: null` or without a Referer is let
 * through only with a valid one. The HMAC is over the issue time alone: the token proves the
 * page came from this proxy recently, nothing about the visitor. Instances behind one load
 * balancer need the same `FORM_TOKEN_SECRET`; without it each makes its own at start.
 */
export function createFormTokens(options: { secret?: string | undefined; clock?: () => Date } = {}): FormTokens {
  const secret = options.secret ?? randomBytes(32).toString('base64url');
  const clock = options.clock ?? (() => new Date());
  const mac = (issued: string) => createHmac('sha256', secret).update(`confera-form:${issued}`).digest();
  return {
    issue() {
      const issued = String(Math.floor(clock().getTime() / 1000));
      return `${issued}.${mac(issued).toString('base64url')}`;
    },
    valid(token) {
      if (typeof token !== 'string' || token.length > 100) return false;
      const match = /^(\d{1,12})\.([\w-]{43})$/.exec(token);
      if (!match) return false;
      const age = clock().getTime() - Number(match[1]) * 1000;
      if (age < -SKEW_MS || age > FORM_TOKEN_TTL_MS) return false;
      const given = Buffer.from(match[2]!, 'base64url');
      const expected = mac(match[1]!);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}
