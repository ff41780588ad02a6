import { pino, type DestinationStream, type Logger } from 'pino';
import * as z from 'zod';

export type { Logger };

/** `LOG_LEVEL` as an environment variable of either server. */
export const LogLevelVariable = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');

/**
 * One JSON logger per server. Nothing that reaches it may hold a key, a query string, SQL,
 * a stack or personal data: callers log ids, codes and counts only (SPEC §3, docs/decisions.md "HTTP").
 * The redaction below is a second line of defence, not the first.
 */
export function createLogger(options: { level?: string; destination?: DestinationStream; name: string }): Logger {
  return pino(
    {
      name: options.name,
      level: options.level ?? 'info',
      base: undefined,
      redact: {
        paths: ['req.headers', 'headers', 'apiKey', 'key', '*.apiKey', '*.authorization', '*["x-api-key"]'],
        censor: '[redacted]',
      },
    },
    options.destination ?? pino.destination({ sync: false }),
  );
}
