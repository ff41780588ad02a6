import type { ConferaPublicClient, ConfigResponse } from '../client/index.js';

export interface CachedConfig {
  response: ConfigResponse;
  /** Serialised once per fetch, not once per page load. */
  json: string;
}

export interface ConfigCache {
  get(): Promise<CachedConfig>;
}

/**
 * The config, kept for `ttlMs` (SPEC §3: a rush of page loads must not reach the backend one
 * for one). Concurrent misses share one backend call. Failures are not kept: the next
 * request tries again. A few seconds of staleness is harmless: `available` and `remaining`
 * are hints; the backend decides at submit time.
 */
export function createConfigCache(options: { client: ConferaPublicClient; ttlMs: number; clock: () => Date }): ConfigCache {
  let entry: { value: CachedConfig; expiresAt: number } | undefined;
  let inFlight: Promise<CachedConfig> | undefined;

  const refresh = async (): Promise<CachedConfig> => {
    const response = await options.client.registrations.getConfig();
    const value = { response, json: JSON.stringify(response) };
    entry = { value, expiresAt: options.clock().getTime() + options.ttlMs };
    return value;
  };

  return {
    get() {
      if (entry && options.clock().getTime() < entry.expiresAt) return Promise.resolve(entry.value);
      inFlight ??= refresh().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
  };
}
