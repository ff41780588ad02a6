import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerOptions, type ServerResponse } from 'node:http';

/** Requests whose client waits for `100 Continue` before it sends the body. */
const awaitingContinue = new WeakSet<IncomingMessage>();

/**
 * Invites the body of a request that waits for it (`Expect: 100-continue`). A body reader
 * calls this when it is about to read, after every check that could refuse the request.
 */
export function sendContinue(req: IncomingMessage, res: ServerResponse): void {
  if (awaitingContinue.delete(req)) res.writeContinue();
}

/** Whether the request comes with a body (`complete` is still false for a bodiless one while its headers are handled). */
function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

/**
 * The node:http server both servers run their app in (and their tests too), with two
 * policies Node does not have by default:
 * - `Expect: 100-continue` is not answered before the app runs: Node would send
 *   `100 Continue` at once and invite a 10 MB upload that the app then refuses. The body
 *   reader sends it (`sendContinue`); a request refused first (401, 413, 415) never gets it.
 * - An answer that goes out before its request has arrived whole (a 401, 413 or 415 given
 *   before the body was read) closes the connection: Node would otherwise read, and drop,
 *   the rest of the body, however large, to keep the connection alive.
 */
export function createHttpServer(app: RequestListener, options: ServerOptions = {}): Server {
  const server = createServer(options, (req, res) => {
    const writeHead = res.writeHead;
    res.writeHead = function writeHeadOrClose(this: ServerResponse, ...args: Parameters<typeof writeHead>) {
      if (!req.complete && hasBody(req) && !this.headersSent) this.setHeader('Connection', 'close');
      return writeHead.apply(this, args);
    } as typeof writeHead;
    app(req, res);
  });
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    awaitingContinue.add(req);
    server.emit('request', req, res);
  });
  return server;
}
