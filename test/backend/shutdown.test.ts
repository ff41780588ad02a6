import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { describe, it } from 'node:test';
import { createTestDatabase } from '../helpers/database.js';
import { spawnBackend } from '../helpers/process.js';

/** backend/server.ts with lib/shutdown.ts: SIGTERM finishes the work, closes the database, flushes the log. */
describe('the backend process on SIGTERM', () => {
  it('exits 0 with an idle keep-alive connection open, its last log line written', async () => {
    const database = await createTestDatabase('sqlite');
    const store = await database.open(); // migrated
    await store.close();
    const backend = await spawnBackend({ DATABASE_URL: database.url, LOG_LEVEL: 'info' });
    try {
      // An idle keep-alive socket would hold server.close() open until Node's own timeout.
      const agent = new Agent({ keepAlive: true });
      const req = request(`${backend.url}/healthz`, { agent });
      req.end();
      const [res] = (await once(req, 'response')) as [import('node:http').IncomingMessage];
      res.resume();
      await once(res, 'end');
      // The request's log line is written when the server sees its answer out ('finish'),
      // which can come after this client has read the answer: wait for it, so that the line
      // the shutdown writes is the last one.
      const logged = Date.now() + 5_000;
      while (!backend.output.join('').includes('"path":"/healthz"') && Date.now() < logged) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const exited = once(backend.child, 'exit');
      backend.child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      agent.destroy();
      assert.equal(code, 0, backend.output.join(''));
      const lines = backend.output
        .join('')
        .split('\n')
        .filter((line) => line.startsWith('{'));
      assert.match(lines.at(-1) ?? '', /"msg":"stopping"/);
    } finally {
      await backend.stop();
      await database.drop();
    }
  });
});
