import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closedLoop } from '../../bench/support.js';

/** A real node:http server on an ephemeral port, answering with `listener`. */
async function serve(listener: RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const run = (url: string, connections = 2, body?: string) =>
  closedLoop('test', {
    url,
    connections,
    duration: 0.3,
    request: () => ({
      method: 'POST',
      path: '/x',
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body }),
    }),
  });

test('the bench loop counts each answer once and sends each request whole', async () => {
  let received = 0;
  const bodies = new Set<string>();
  const server = await serve((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received++;
      bodies.add(`${req.headers['content-length']}:${body}`);
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true,"text":"ünïcode"}');
    });
  });
  try {
    const figures = await run(server.url, 4, '{"name":"Zoë"}');
    assert.ok(figures.ok > 10);
    assert.equal(figures.failed, 0);
    assert.equal(figures.ok, received, 'every request answered is counted, none twice');
    assert.deepEqual([...bodies], [`${Buffer.byteLength('{"name":"Zoë"}')}:{"name":"Zoë"}`]);
    assert.ok(figures.p50 > 0 && figures.p99 >= figures.p50);
  } finally {
    await server.close();
  }
});

test('the bench loop counts an error status as failed, and goes on', async () => {
  let n = 0;
  const server = await serve((req, res) => {
    req.resume().on('end', () => {
      res.statusCode = n++ % 2 ? 500 : 201;
      res.end('{}');
    });
  });
  try {
    const figures = await run(server.url);
    assert.ok(figures.ok > 5 && figures.failed > 5);
    assert.ok(Math.abs(figures.ok - figures.failed) <= 2);
  } finally {
    await server.close();
  }
});

test('the bench loop opens a new connection after `Connection: close` and reads a 204 without a body', async () => {
  const sockets = new Set<unknown>();
  let n = 0;
  const server = await serve((req, res) => {
    sockets.add(req.socket);
    req.resume().on('end', () => {
      if (n++ % 3 === 0) res.setHeader('connection', 'close');
      res.statusCode = n % 2 ? 204 : 200;
      res.end(n % 2 ? undefined : 'ok');
    });
  });
  try {
    const figures = await run(server.url, 1);
    assert.equal(figures.failed, 0);
    assert.ok(figures.ok > 10);
    assert.ok(sockets.size > figures.ok / 4, 'a closed connection was replaced');
  } finally {
    await server.close();
  }
});

test('the bench loop fails an answer it cannot read (chunked) rather than guess, and reconnects', async () => {
  const server = await serve((req, res) => {
    req.resume().on('end', () => {
      res.write('{"ok":');
      res.end('true}');
    });
  });
  try {
    const figures = await run(server.url, 1);
    assert.equal(figures.ok, 0);
    assert.ok(figures.failed > 1, 'each cut-off exchange is a failure, on a new connection');
  } finally {
    await server.close();
  }
});
