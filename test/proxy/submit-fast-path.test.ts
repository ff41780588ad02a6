import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, type AddressInfo } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { createHttpServer } from '../../lib/http-server.js';
import { submitFastPath } from '../../proxy-server/routes/submit-fast-path.js';

/**
 * The runner under the submit's fast path (routes/submit-fast-path.ts), in a real Express app
 * on a real server: it runs the route's handlers as Express runs a route's, and leaves every
 * other request to the app.
 */
describe('submitFastPath', () => {
  const servers: ReturnType<typeof createHttpServer>[] = [];
  afterEach(() => servers.splice(0).forEach((server) => server.close()));

  /** An app with the fast path first, then "the long way" (a 404 naming the request), then the error middleware. */
  async function start(handlers: RequestHandler[]) {
    const longWay: RequestHandler = (req, res) => void res.status(404).send(`long way: ${req.method} ${req.url}`);
    const onError: ErrorRequestHandler = (error: Error, _req, res, _next) => void res.status(500).send(`error: ${error.message}`);
    const server = createHttpServer(express().use(submitFastPath(handlers)).use(longWay).use(onError));
    servers.push(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return async (path = '/api/registration', method = 'POST') => {
      const response = await fetch(`${base}${path}`, { method });
      return { status: response.status, text: await response.text() };
    };
  }

  it('runs the handlers in order, each on the previous one’s next(), the async ones too', async () => {
    const ran: string[] = [];
    const send = await start([
      (_req, _res, next) => {
        ran.push('limit');
        next();
      },
      async (_req, _res, next) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        ran.push('body');
        next();
      },
      (_req, res) => {
        ran.push('submit');
        res.status(201).send('created');
      },
    ]);
    assert.deepEqual(await send(), { status: 201, text: 'created' });
    assert.deepEqual(ran, ['limit', 'body', 'submit']);
  });

  it('leaves every other request to the app: another method, a query, another spelling', async () => {
    let calls = 0;
    const send = await start([() => void calls++]);
    for (const [path, method] of [
      ['/api/registration', 'GET'],
      ['/api/registration?callback=x', 'POST'],
      ['/api/registration/', 'POST'],
      ['/api/other', 'POST'],
    ] as const) {
      assert.deepEqual(await send(path, method), { status: 404, text: `long way: ${method} ${path}` });
    }
    assert.equal(calls, 0);
  });

  it('passes an error given to next(), a thrown one and a rejected promise to the error middleware, and runs no later handler', async () => {
    const failures: RequestHandler[] = [
      (_req, _res, next) => next(new Error('given')),
      () => {
        throw new Error('thrown');
      },
      async () => {
        throw new Error('rejected');
      },
    ];
    for (const failure of failures) {
      let later = 0;
      const send = await start([failure, () => void later++]);
      const answer = await send();
      assert.equal(answer.status, 500);
      assert.match(answer.text, /^error: (given|thrown|rejected)$/);
      assert.equal(later, 0);
    }
  });

  it('takes a promise rejected with a falsy value for an error, as Express does, and never goes the long way', async () => {
    let later = 0;
    const send = await start([() => Promise.reject(0), () => void later++]);
    assert.deepEqual(await send(), { status: 500, text: 'error: Rejected promise' });
    assert.equal(later, 0);
  });

  it('keeps the connection open after a refusal given before a small body was read, as the router does', async () => {
    await start([(_req, _res, next) => next(new Error('refused'))]);
    const { port } = servers.at(-1)!.address() as AddressInfo;
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    // Headers and a one-byte body in one write, as a browser sends a small submit.
    socket.write('POST /api/registration HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 1\r\n\r\nx');
    const [chunk] = (await once(socket, 'data')) as [Buffer];
    socket.destroy();
    const head = chunk.toString('latin1').split('\r\n\r\n')[0]!;
    assert.match(head, /^HTTP\/1\.1 500/);
    assert.match(head, /\r\nconnection: keep-alive\r\n/i);
  });

  it('fails loudly, never the long way, when the handlers end without an answer (the route would run twice)', async () => {
    const send = await start([(_req, _res, next) => next()]);
    assert.deepEqual(await send(), { status: 500, text: 'error: The submit handlers ended without an answer' });
  });
});
