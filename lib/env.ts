import * as z from 'zod';
import { parseAddressList } from './client-address.js';

/**
 * A server's environment, validated by its schema. An empty variable means "not set"
 * (`PORT=` picks the default). Throws one Error naming every bad variable; values are never
 * part of the message (one of them may be an API key).
 */
export function readEnvironment<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): z.output<S> {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = schema.safeParse(present);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new Error(`Invalid environment: ${problems.join('; ')}`);
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

/** A zod transform by a parser that throws: its message becomes the variable's issue. */
function parsedBy<In, Out>(parse: (value: In) => Out) {
  return (value: In, ctx: z.RefinementCtx): Out => {
    try {
      return parse(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  };
}

/** `TRUST_PROXY` as an environment variable of either server, parsed by `parseTrustProxy`. */
export const TrustProxyVariable = z.string().optional().transform(parsedBy(parseTrustProxy));

/** `REDIS_URL` (SPEC §3e): `redis://` or `rediss://`; its value (it may hold a password) is never echoed. */
export const RedisUrlVariable = z.url({ protocol: /^rediss?$/, error: 'Must be a redis:// or rediss:// URL' }).optional();

/** A list of addresses and CIDRs (`TRUSTED_PROXIES`), parsed into a check by `parseAddressList`. */
export function AddressListVariable(fallback: string) {
  return z.string().default(fallback).transform(parsedBy(parseAddressList));
}
