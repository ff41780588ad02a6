import type { Options, Store } from 'express-rate-limit';
import { RedisStore } from 'rate-limit-redis';
import { createClient } from 'redis';
import type { Logger } from './logger.js';

/**
 * Where the rate limits keep their counts: `memory` (no `REDIS_URL`: per process), `shared`
 * (Redis answers: one budget across every instance), `degraded` (Redis is configured but
 * does not answer: requests are served without a limit until it is back).
 */
export type CountersState = 'memory' | 'shared' | 'degraded';

/** The counters of one server's rate limits (SPEC §3e), given to `createRateLimit`. */
export interface Counters {
  state(): CountersState;
  /** A store for one limiter, its keys under `prefix`; undefined: express-rate-limit's memory store. */
  store(prefix: string): Store | undefined;
  /** A store call failed and the request was let through (fail open). */
  failed(error: unknown): void;
  close(): Promise<void>;
}

/** Counters in memory, per process: the default, and what tests get. */
export const memoryCounters: Counters = {
  state: () => 'memory',
  store: () => undefined,
  failed: () => {},
  close: async () => {},
};

export interface RedisCountersOptions {
  url: string;
  logger: Logger;
  /** The least time between two warnings that Redis does not answer (default one minute). */
  warnEveryMs?: number;
  clock?: () => number;
}

/**
 * rate-limit-redis loads its Lua scripts once, in `init`. Loaded while Redis is down, the
 * failed load would stay failed for good (every later call awaits the same rejected promise),
 * so every (re)connection loads them again. A successful count is what "shared again" means.
 */
class ReconnectingRedisStore extends RedisStore {
  #options: Options | undefined;
  readonly #succeeded: () => void;

  constructor(options: ConstructorParameters<typeof RedisStore>[0], succeeded: () => void) {
    super(options);
    this.#succeeded = succeeded;
  }

  override async init(options: Options): Promise<void> {
    this.#options = options;
    await super.init(options);
  }

  reload(): void {
    if (this.#options) super.init(this.#options).catch(() => {});
  }

  override async increment(key: string) {
    const result = await super.increment(key);
    this.#succeeded();
    return result;
  }
}

/**
 * Counters in Redis through rate-limit-redis and node-redis. Fail open: commands are not
 * queued while the connection is down (`disableOfflineQueue`), so a limiter's call fails at
 * once and express-rate-limit's `passOnStoreError` serves the request; node-redis reconnects
 * by itself (its default back-off, at most 2 s apart). The warning names no URL: it may
 * hold a password.
 */
export function redisCounters(options: RedisCountersOptions): Counters {
  const clock = options.clock ?? Date.now;
  const warnEveryMs = options.warnEveryMs ?? 60_000;
  let healthy = false;
  let lastWarning = -Infinity;
  const stores: ReconnectingRedisStore[] = [];
  const client = createClient({
    url: options.url,
    disableOfflineQueue: true,
    socket: { connectTimeout: 2_000 },
  });

  const markHealthy = () => {
    if (healthy) return;
    healthy = true;
    options.logger.info({ counters: 'shared' }, 'rate-limit counters are shared in Redis');
  };
  const failed = (error: unknown) => {
    healthy = false;
    const now = clock();
    if (now - lastWarning < warnEveryMs) return;
    lastWarning = now;
    const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
    options.logger.warn(
      { counters: 'degraded', cause: typeof code === 'string' ? code : name },
      'rate-limit counters: Redis does not answer; requests are served without shared limits until it is back',
    );
  };

  client.on('error', failed);
  client.on('ready', () => {
    for (const store of stores) store.reload();
    markHealthy();
  });
  // Not awaited: a server starts (and serves, fail open) while Redis is down; connect()
  // keeps retrying until it gets through.
  client.connect().catch(failed);

  return {
    state: () => (healthy && client.isReady ? 'shared' : 'degraded'),
    store(prefix) {
      const store = new ReconnectingRedisStore({ prefix, sendCommand: (...args: string[]) => client.sendCommand(args) }, markHealthy);
      stores.push(store);
      return store;
    },
    failed,
    close: async () => {
      client.removeAllListeners('error');
      client.on('error', () => {});
      if (client.isOpen) client.destroy();
    },
  };
}

/** `REDIS_URL` set: Redis; unset: memory. */
export function createCounters(url: string | undefined, logger: Logger): Counters {
  return url ? redisCounters({ url, logger }) : memoryCounters;
}
