import type { Server } from 'node:http';
import type { Logger } from './logger.js';

export interface ShutdownOptions {
  server: Server;
  logger: Logger;
  /** How long requests in flight may take; past it the process gives up with exit code 1. */
  timeoutMs: number;
  /** What to close once the last request is answered (the database). */
  close?: () => Promise<void>;
}

/**
 * Graceful shutdown for both servers, on SIGTERM and SIGINT: stop accepting, close idle
 * keep-alive sockets (and each busy one as soon as its answer is out), let requests in flight
 * finish, close what the server holds, flush the log (pino writes asynchronously: exiting
 * at once would drop the last lines, the very ones that say why) and exit 0; exit 1 when
 * the deadline passes first.
 */
export function exitGracefully(options: ShutdownOptions): void {
  const { server, logger } = options;
  let stopping = false;
  const exit = (code: number) => {
    process.exitCode = code;
    logger.flush(() => process.exit(code));
  };
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    setTimeout(() => {
      logger.warn('requests still in flight at the shutdown deadline');
      exit(1);
    }, options.timeoutMs).unref();
    server.close(() => {
      (options.close?.() ?? Promise.resolve()).then(
        () => exit(0),
        (error: unknown) => {
          logger.error({ errorType: error instanceof Error ? error.constructor.name : typeof error }, 'could not close cleanly');
          exit(1);
        },
      );
    });
    // Keep-alive sockets would hold close() open: close each one as soon as its answer is out.
    server.closeIdleConnections();
    setInterval(() => server.closeIdleConnections(), 100).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
