import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface BackendProcess {
  url: string;
  api: string;
  child: ChildProcess;
  /** Everything the process wrote, stdout and stderr. */
  output: string[];
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** The real backend entry point (`backend/server.ts`) in its own process, on an ephemeral port. */
export async function spawnBackend(
  env: Record<string, string>,
  options: { nodeArgs?: string[]; compiled?: boolean } = {},
): Promise<BackendProcess> {
  const server = await spawnServer('backend', { RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_PER_CLIENT_PER_MINUTE: '0', ...env }, options);
  return { ...server, api: `${server.url}/api/public/v1` };
}

export type ServerProcess = Omit<BackendProcess, 'api'>;

/** The real proxy entry point (`proxy-server/server.ts`) in its own process, on an ephemeral port (or `PORT`). */
export function spawnProxy(env: Record<string, string>, options: { nodeArgs?: string[]; compiled?: boolean } = {}): Promise<ServerProcess> {
  // Receipts go to a folder of this process's own, not the repository's ./data/receipts.
  return spawnServer('proxy-server', { RECEIPTS_DIR: mkdtempSync(join(tmpdir(), 'confera-receipts-')), ...env }, options);
}

async function spawnServer(
  name: 'backend' | 'proxy-server',
  env: Record<string, string>,
  options: { nodeArgs?: string[]; compiled?: boolean },
): Promise<ServerProcess> {
  // `compiled` runs dist/ (after `npm run build`), as production would: benchmarks use it.
  const entry = options.compiled ? [`dist/${name}/server.js`] : ['--import', 'tsx', `${name}/server.ts`];
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...entry], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stderr!.on('data', (chunk) => output.push(String(chunk)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start: ${output.join('')}`)), 30_000);
    let started = '';
    // Parse only until the start line: re-reading all output on every chunk would cost the
    // benchmarks' CPU once the request log flows.
    const onData = (chunk: Buffer) => {
      output.push(String(chunk));
      started += String(chunk);
      const match = /listening on (http:\/\/\S+)/.exec(started);
      if (match) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.stdout!.on('data', (more: Buffer) => output.length < 10_000 && output.push(String(more)));
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}: ${output.join('')}`));
    });
  });
  return {
    url,
    child,
    output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    },
  };
}
