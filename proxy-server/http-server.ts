import type { RequestListener, Server } from 'node:http';
import { createHttpServer } from '../lib/http-server.js';

/**
 * Request line plus headers, at most (Node's default is 16 KiB). A JSONP submit carries its
 * payload in the URL: 8 KiB of `jsonData` (SPEC §3) percent-encodes to up to three times
 * that (`é` is 2 bytes, 6 characters), plus the Referer and the browser's own headers.
 */
export const MAX_HEADER_BYTES = 64 * 1024;

/** How long past the backend deadline a request may take before Node drops its socket. */
const REQUEST_TIMEOUT_MARGIN_MS = 30_000;

/**
 * The proxy's HTTP server around the app (lib/http-server.ts, with the proxy's limits):
 * `server.ts` listens on it, and the tests run the very same server, so its limits are
 * tested too.
 */
export function createProxyServer(app: RequestListener, options: { upstreamTimeoutMs: number }): Server {
  const server = createHttpServer(app, { maxHeaderSize: MAX_HEADER_BYTES });
  // A submit may wait CONFERA_TIMEOUT_MS upstream; the socket must outlive it.
  server.requestTimeout = options.upstreamTimeoutMs + REQUEST_TIMEOUT_MARGIN_MS;
  return server;
}
