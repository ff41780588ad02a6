import { randomUUID } from 'node:crypto';
import type { Logger } from './logger.js';

/** Where in our code an unexpected error came from: one `file:line`, never the message or stack. */
export function errorOrigin(error: unknown): string | undefined {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  // Frames only (never the message line), and only ours: a driver's own file says nothing.
  for (const frame of stack.split('\n').filter((line) => /^\s+at /.test(line) && !line.includes('node_modules'))) {
    const where = /\/(backend|contract|lib|client|proxy-server)\/[^\s)]+:\d+/.exec(frame)?.[0];
    if (where) return where;
  }
  return undefined;
}

/**
 * Logs an error that is no one's fault but ours, once, and returns the id the generic 500
 * names (STYLE §3). Only an id, a type, a code and a location: never a message (driver
 * messages can hold SQL or personal data, the proxy's can quote `jsonData`), never a stack.
 */
export function logUnexpected(logger: Logger, error: unknown): string {
  const errorId = randomUUID();
  const { constructor, code } = (typeof error === 'object' && error !== null ? error : {}) as {
    constructor?: { name?: unknown };
    code?: unknown;
  };
  logger.error({ errorId, errorType: constructor?.name, errorCode: code, at: errorOrigin(error) }, 'unexpected error');
  return errorId;
}
