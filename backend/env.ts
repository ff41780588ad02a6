import * as z from 'zod';
import { readEnvironment, TrustProxyVariable } from '../lib/env.js';
import { LogLevelVariable } from '../lib/logger.js';

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.string().optional(),
  /** Connections per process to PostgreSQL. */
  PG_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(6000),
  TRUST_PROXY: TrustProxyVariable,
  AUTH_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  IDEMPOTENCY_IN_FLIGHT_MS: z.coerce.number().int().min(0).default(60_000),
  LOG_LEVEL: LogLevelVariable,
});
export type BackendEnv = z.infer<typeof Env>;

/** The backend's environment, validated; a bad variable stops the start with its name. */
export function readEnv(env: Record<string, string | undefined>): BackendEnv {
  return readEnvironment(Env, env);
}
