import { setTimeout as sleep } from 'node:timers/promises';

export interface EventuallyOptions {
  /** Give up after this long (default 5 s): a condition that never holds fails the test. */
  timeoutMs?: number;
  /** Pause between probes (default 10 ms). */
  intervalMs?: number;
  /** What is awaited, for the failure message. */
  what?: string;
}

/**
 * Probes until `probe` returns something other than `undefined` or `false`, and returns it.
 * For a test that waits on something another process or timer does: it goes on as soon as
 * the condition holds, instead of sleeping a fixed time that is too long on a fast machine
 * and too short on a busy one (issue 15 item 5).
 */
export async function eventually<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, options: EventuallyOptions = {}) {
  const { timeoutMs = 5_000, intervalMs = 10, what = 'the condition' } = options;
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (performance.now() > deadline) throw new Error(`${what} did not hold within ${timeoutMs} ms`);
    await sleep(intervalMs);
  }
}
