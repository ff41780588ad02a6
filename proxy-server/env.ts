import * as z from 'zod';
import { isLocalHost } from '../contract/index.js';
import { readEnvironment, RedisUrlVariable, TrustProxyVariable } from '../lib/env.js';
import { LogLevelVariable } from '../lib/logger.js';
import type { ProxyConfig } from './app.js';

/** `*`, or a comma list of exact origins (`https://www.example.org`, `http://localhost:8080`). */
const AllowedOrigins = z
  .string({ error: 'Required: a comma list of origins such as https://www.example.org, or *' })
  .transform((value, ctx) => {
    if (value.trim() === '*') return '*' as const;
    const origins: string[] = [];
    for (const item of value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const origin = toOrigin(item);
      if (!origin) {
        ctx.addIssue({ code: 'custom', message: `"${item}" is not an origin (scheme://host[:port], no path)` });
        return z.NEVER;
      }
      origins.push(origin);
    }
    if (!origins.length) {
      ctx.addIssue({ code: 'custom', message: 'Name at least one origin, or *' });
      return z.NEVER;
    }
    return origins;
  });

/**
 * An origin as browsers send it: `https://example.org:443/` becomes `https://example.org`, so
 * the exact match at request time compares like with like. A path, query or user is refused.
 */
function toOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
    if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) return null;
    if (value.replace(/\/$/, '').split('://')[1]?.includes('/')) return null;
    return url.origin;
  } catch {
    return null;
  }
}

const positiveInt = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

/** How long SIGTERM waits past the backend deadline by default: a submit in flight gets its answer out. */
const SHUTDOWN_MARGIN_MS = 5_000;

export const ProxyEnv = z
  .object({
    CONFERA_BASE_URL: z.url({ protocol: /^https?$/, error: 'Required: the backend URL, such as https://api.confera.example' }),
    // The value is never echoed: the message names the variable only.
    CONFERA_API_KEY: z
      .string({ error: 'Required: the API key (cat_…)' })
      .regex(/^cat_[0-9A-Za-z]{32,}$/, { error: 'Must be a Confera API key (cat_ and at least 32 characters)' }),
    ALLOWED_ORIGINS: AllowedOrigins,
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    CONFERA_TIMEOUT_MS: positiveInt(12_000),
    /** Submits per client IP per window (0 turns the limit off, e.g. behind a gateway that limits). */
    RATE_LIMIT_SUBMITS: z.coerce.number().int().min(0).default(10),
    RATE_LIMIT_WINDOW_MS: positiveInt(60_000),
    /** Receipt uploads per client IP per window (SPEC §3c); 0 turns the limit off. */
    RATE_LIMIT_RECEIPTS: z.coerce.number().int().min(0).default(10),
    /** Where uploaded receipts are kept (SPEC §3c); several proxies need it shared. */
    RECEIPTS_DIR: z.string().min(1).default('./data/receipts'),
    CONFIG_CACHE_MS: z.coerce.number().int().min(0).default(5_000),
    /** Who may set X-Forwarded-For: a hop count, `loopback`, addresses/CIDRs; `true` is refused. */
    TRUST_PROXY: TrustProxyVariable,
    /** Default: CONFERA_TIMEOUT_MS + 5 s; must be longer than CONFERA_TIMEOUT_MS. */
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1).optional(),
    WIDGET_FILE: z.string().min(1).optional(),
    /** Who may frame the hosted form (`/form` only; every other route refuses framing): origins, or `*` (default). */
    FRAME_ANCESTORS: AllowedOrigins.optional(),
    /**
     * The proxy's public origin (`https://register.example.org`): the receipts' links are made
     * from it. Unset: from each request (its Host, and X-Forwarded-Proto/-Host from a trusted hop).
     */
    PUBLIC_URL: z
      .string()
      .transform((value, ctx) => {
        const origin = toOrigin(value.trim());
        if (!origin) {
          ctx.addIssue({ code: 'custom', message: "Must be the proxy's public origin, such as https://register.example.org (no path)" });
          return z.NEVER;
        }
        // The backend takes an http: receipt link only on a local host (contract/registration.ts).
        const { protocol, hostname } = new URL(origin);
        if (protocol === 'http:' && !isLocalHost(hostname)) {
          ctx.addIssue({ code: 'custom', message: 'Must be https: (http: only for localhost), or every receipt link is refused' });
          return z.NEVER;
        }
        return origin;
      })
      .optional(),
    /** Signs the hosted form's tokens; several instances need the same one. Unset: made at start. */
    FORM_TOKEN_SECRET: z.string().min(32, { error: 'Must be at least 32 characters' }).optional(),
    /** The submit limit's counters, shared by every proxy (SPEC §3e); unset: in memory, per process. */
    REDIS_URL: RedisUrlVariable,
    LOG_LEVEL: LogLevelVariable,
  })
  .transform((env, ctx) => {
    // A shutdown that gives up before the backend deadline would cut off a submit the backend
    // may already have stored, and the browser would never learn it was registered.
    const shutdownTimeoutMs = env.SHUTDOWN_TIMEOUT_MS ?? env.CONFERA_TIMEOUT_MS + SHUTDOWN_MARGIN_MS;
    if (shutdownTimeoutMs <= env.CONFERA_TIMEOUT_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['SHUTDOWN_TIMEOUT_MS'],
        message: 'Must be longer than CONFERA_TIMEOUT_MS, or requests in flight are cut off at shutdown',
      });
      return z.NEVER;
    }
    return { ...env, SHUTDOWN_TIMEOUT_MS: shutdownTimeoutMs };
  });
export type ProxyEnv = z.infer<typeof ProxyEnv>;

/**
 * The proxy's environment, validated (SPEC §3). Throws one Error naming every bad variable;
 * values are never part of the message (one of them is the API key).
 */
export function readProxyEnv(env: Record<string, string | undefined>): ProxyEnv {
  return readEnvironment(ProxyEnv, env);
}

/** The app's settings from the validated environment. */
export function proxyConfig(env: ProxyEnv): ProxyConfig {
  return {
    allowedOrigins: env.ALLOWED_ORIGINS,
    rateLimit: { limit: env.RATE_LIMIT_SUBMITS, windowMs: env.RATE_LIMIT_WINDOW_MS },
    receiptRateLimit: { limit: env.RATE_LIMIT_RECEIPTS, windowMs: env.RATE_LIMIT_WINDOW_MS },
    configCacheMs: env.CONFIG_CACHE_MS,
    trustProxy: env.TRUST_PROXY,
    frameAncestors: env.FRAME_ANCESTORS ?? '*',
    formTokenSecret: env.FORM_TOKEN_SECRET,
    ...(env.PUBLIC_URL ? { publicUrl: env.PUBLIC_URL } : {}),
  };
}
