import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface Exchange {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
}

/** One HTTP exchange: the status and the whole body as text. */
export type Send = (url: string, exchange: Exchange) => Promise<{ status: number; text: string }>;

/**
 * Keep-alive pools shared by every client in the process: a proxy makes one backend call per
 * browser request, and a new TCP (and TLS) connection each time would cost more than the call.
 */
// `timeout` closes a socket idle for 4 s: before Node's default server keep-alive timeout
// (5 s) closes it under a request in flight.
const agents = {
  http: new HttpAgent({ keepAlive: true, maxSockets: 256, scheduling: 'lifo', timeout: 4_000 }),
  https: new HttpsAgent({ keepAlive: true, maxSockets: 256, scheduling: 'lifo', timeout: 4_000 }),
};

/**
 * The default transport, on `node:http`: measured about twice as fast as Node 20's global
 * fetch for small JSON exchanges (docs/proxy.md), which is most of what the proxy spends
 * per submit. An aborted signal destroys the request; the caller tells timeout from failure.
 */
export const nodeSend: Send = (url, exchange) =>
  sendOnce(url, exchange).catch((error: NodeJS.ErrnoException & { reusedSocket?: boolean }) => {
    // A pooled socket the server closed just as we wrote to it: the request never arrived.
    // Node's docs recommend one retry; we do it only where a repeat cannot do harm.
    const safe = exchange.method === 'GET' || exchange.headers['idempotency-key'] !== undefined;
    if (error.reusedSocket && error.code === 'ECONNRESET' && safe && !exchange.signal.aborted) return sendOnce(url, exchange);
    throw error;
  });

function sendOnce(url: string, exchange: Exchange): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const secure = url.startsWith('https:');
    const body = exchange.body === undefined ? undefined : Buffer.from(exchange.body, 'utf8');
    // The deadline destroys the request through a listener of our own, not http.request's
    // `signal` option: measured here, that option cost about 90 µs of CPU per request, a
    // third of what the proxy's whole backend call costs (docs/proxy.md).
    const abort = () => req.destroy(new Error('The request was aborted'));
    const settle = () => exchange.signal.removeEventListener('abort', abort);
    const req = (secure ? httpsRequest : httpRequest)(
      url,
      {
        method: exchange.method,
        agent: secure ? agents.https : agents.http,
        headers: { ...exchange.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          settle();
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', reject);
        res.on('aborted', () => reject(new Error('response aborted')));
      },
    );
    req.on('error', (error: Error & { reusedSocket?: boolean }) => {
      settle();
      error.reusedSocket = req.reusedSocket;
      reject(error);
    });
    if (exchange.signal.aborted) abort();
    else exchange.signal.addEventListener('abort', abort, { once: true });
    req.end(body);
  });
}

/** An injected WHATWG fetch as a transport. */
export function fetchSend(fetch: (input: string, init: RequestInit) => Promise<Response>): Send {
  return async (url, exchange) => {
    const response = await fetch(url, {
      method: exchange.method,
      headers: exchange.headers,
      signal: exchange.signal,
      ...(exchange.body === undefined ? {} : { body: exchange.body }),
    });
    return { status: response.status, text: await response.text() };
  };
}
