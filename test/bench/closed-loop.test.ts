import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type RequestListener } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
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

/**
 * A server that answers every request with `answer`'s pieces, each written on its own after a
 * pause, so that the loop's reader gets them in separate chunks, as TCP may deliver them.
 */
async function rawServer(answer: string[]): Promise<{ url: string; requests: () => number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let requests = 0;
  const server = createNetServer((socket) => {
    sockets.add(socket);
    let pending = '';
    socket.on('data', async (chunk) => {
      pending += String(chunk);
      // One request head (and no body: the tests below send none) per answer.
      while (pending.includes('\r\n\r\n')) {
        pending = pending.slice(pending.indexOf('\r\n\r\n') + 4);
        requests++;
        for (const piece of answer) {
          socket.write(piece);
          await sleep(2);
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

// Each test has a deadline: a reader that waits for bytes that never come hangs, never fails.
const get = (url: string, method = 'GET') =>
  closedLoop('test', { url, connections: 1, duration: 0.3, request: () => ({ method, path: '/x' }) });

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

test('the bench loop counts each answer once and sends each request whole', { timeout: 10_000 }, async () => {
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

test('the bench loop counts an error status as failed, and goes on', { timeout: 10_000 }, async () => {
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

test('the bench loop opens a new connection after `Connection: close` and reads a 204 without a body', { timeout: 10_000 }, async () => {
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

test(
  'the bench loop fails a chunked answer (it reads only Content-Length bodies) rather than guess, and reconnects',
  { timeout: 10_000 },
  async () => {
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
  },
);

test('the bench loop reads an answer whose head and body arrive in separate pieces', { timeout: 10_000 }, async () => {
  const server = await rawServer([
    'HTTP/1.1 201 Created\r\nContent-Ty',
    'pe: application/json\r\nCONTENT-LENGTH:\t11\r\n\r',
    '\n{"ok":',
    'true}',
  ]);
  try {
    const figures = await get(server.url);
    assert.equal(figures.failed, 0);
    assert.ok(figures.ok > 3);
    assert.equal(figures.ok, server.requests(), 'one answer per request, none settled before its body was whole');
    // Four pieces 2 ms apart: an answer settled at its head would measure about a third of that.
    assert.ok(figures.p50 >= 5, `p50 ${figures.p50} ms covers the whole answer`);
  } finally {
    await server.close();
  }
});

test('the bench loop skips interim 1xx answers and reads the final one', { timeout: 10_000 }, async () => {
  const server = await rawServer([
    'HTTP/1.1 100 Continue\r\n\r\n',
    'HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n',
    'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok',
  ]);
  try {
    const figures = await get(server.url);
    assert.equal(figures.failed, 0);
    assert.equal(figures.ok, server.requests());
  } finally {
    await server.close();
  }
});

test('the bench loop reads no body after HEAD, whatever Content-Length says', { timeout: 10_000 }, async () => {
  const server = await rawServer(['HTTP/1.1 200 OK\r\nContent-Length: 123\r\n\r\n']);
  try {
    const figures = await get(server.url, 'HEAD');
    assert.equal(figures.failed, 0);
    assert.ok(figures.ok > 3);
  } finally {
    await server.close();
  }
});

test('the bench loop drops bytes no request asked for, so no status lands on the wrong request', { timeout: 10_000 }, async () => {
  let n = 0;
  // Every other answer comes with an unsolicited 500 straight after it.
  const server = await serve((req, res) => {
    req.resume().on('end', () => {
      res.end('ok', () => {
        if (n++ % 2 === 0) req.socket.write('HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n');
      });
    });
  });
  try {
    const figures = await run(server.url, 1);
    assert.equal(figures.failed, 0);
    assert.ok(figures.ok > 10);
  } finally {
    await server.close();
  }
});
