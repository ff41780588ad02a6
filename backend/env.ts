import * as z from 'zod';
import { AddressListVariable, readEnvironment, RedisUrlVariable, TrustProxyVariable } from '../lib/env.js';
import { LogLevelVariable } from '../lib/logger.js';

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.string().optional(),
  /** Connections per process to PostgreSQL, besides the one pipelined connection of the create batches. */
  PG_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  /** The per-key ceiling (docs/deployment.md sizes it). */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(60_000),
  /** Per key and client address, for requests whose client a trusted proxy names. */
  RATE_LIMIT_PER_CLIENT_PER_MINUTE: z.coerce.number().int().min(0).default(60),
  /** Who may name its client in `Confera-Client-Address`: addresses, CIDRs, `loopback`, `none`. */
  TRUSTED_PROXIES: AddressListVariable('loopback'),
  TRUST_PROXY: TrustProxyVariable,
  /** Rate-limit counters shared by every instance; unset: in memory, per process. */
  REDIS_URL: RedisUrlVariable,
  AUTH_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  IDEMPOTENCY_IN_FLIGHT_MS: z.coerce.number().int().min(0).default(60_000),
  LOG_LEVEL: LogLevelVariable,
});
export type BackendEnv = z.infer<typeof Env>;

/** The backend's environment, validated; a bad variable stops the start with its name. */
export function readEnv(env: Record<string, string | undefined>): BackendEnv {
  return readEnvironment(Env, env);
}
