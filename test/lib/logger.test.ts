import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { eventually } from '../helpers/eventually.js';

/**
 * lib/logger.ts writes its lines in batches (issue 14). Batching must never cost a line: a
 * quiet server's last line still comes out, and so do the lines held when a process dies.
 */

const LOGGER = fileURLToPath(new URL('../../lib/logger.ts', import.meta.url));

/** Runs `body` in a process of its own with `logger` made by createLogger; its output as it comes. */
function run(body: string) {
  const script = `import { createLogger } from ${JSON.stringify(LOGGER)};\nconst logger = createLogger({ name: 'test' });\n${body}`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.resume();
  const exited = once(child, 'exit') as Promise<[number | null]>;
  return { child, output: () => stdout, exited };
}

const messages = (output: string) =>
  output
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { msg: string }).msg);

describe('the log of both servers (lib/logger.ts)', () => {
  it('writes the line of a process that then logs nothing more, without waiting for more lines', async () => {
    const logged = run(`logger.info('only line'); setTimeout(() => {}, 30_000);`);
    try {
      await eventually(() => messages(logged.output()).includes('only line'), { what: 'the only line' });
    } finally {
      logged.child.kill();
    }
  });

  it('writes every line it holds when the process crashes', async () => {
    const logged = run(`logger.info('first'); logger.info('second'); setTimeout(() => { throw new Error('boom'); }, 1);`);
    const [code] = await logged.exited;
    assert.equal(code, 1);
    assert.deepEqual(messages(logged.output()), ['first', 'second']);
  });

  it('writes every line it holds when the process exits at once', async () => {
    const logged = run(`for (let i = 0; i < 500; i++) logger.info('line ' + i); process.exit(0);`);
    const [code] = await logged.exited;
    assert.equal(code, 0);
    assert.deepEqual(
      messages(logged.output()),
      Array.from({ length: 500 }, (_, i) => `line ${i}`),
    );
  });
});
