/**
 * `npm start` (SPEC §6): the backend on :4000 (embedded SQLite, seeded with a demo conference
 * and a fresh key), the proxy on :3000 holding that key, and a demo site on :8080, another
 * origin, that embeds the widget with two lines. Ctrl-C stops all three.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../backend/storage/database.js';
import { migrate } from '../backend/storage/migrate.js';
import { seedDemo } from '../demo/seed.js';
import { ensureWidgetBuilt } from './ensure-widget.js';
import { startDemoSite } from '../demo/server.js';
import { SERVER_NODE_FLAGS } from '../lib/node-flags.js';
import { configureContractMessages } from '../contract/index.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const ports = {
  backend: Number(process.env.BACKEND_PORT ?? 4000),
  proxy: Number(process.env.PROXY_PORT ?? 3000),
  demo: Number(process.env.DEMO_PORT ?? 8080),
};

async function seed(): Promise<string> {
  const store = openDatabase(process.env.DATABASE_URL);
  try {
    await migrate(store);
    return await seedDemo(store.db, new Date());
  } finally {
    await store.close();
  }
}

const children: ChildProcess[] = [];

function run(name: string, entry: string, env: Record<string, string>): Promise<void> {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, '--import', 'tsx', entry], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${name} stopped (${signal ?? code}); stopping the demo`);
      void stop(1);
    }
  });
  return new Promise((resolve) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (/listening on/.test(String(chunk))) resolve();
    });
  });
}

let stopping = false;
async function stop(code = 0): Promise<void> {
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('exit', r)) : null)));
  process.exit(code);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

/** A port taken by another program stops the demo before anything starts, naming the variable that moves it. */
async function checkPorts(): Promise<void> {
  const names = { backend: 'BACKEND_PORT', proxy: 'PROXY_PORT', demo: 'DEMO_PORT' } as const;
  for (const [part, port] of Object.entries(ports) as [keyof typeof names, number][]) {
    const problem = await new Promise<string | undefined>((resolve) => {
      const probe = createServer();
      probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code));
      probe.listen(port, () => probe.close(() => resolve(undefined)));
    });
    if (problem) {
      console.error(
        problem === 'EADDRINUSE'
          ? `Port ${port} (the ${part}) is already in use. Stop what uses it, or move the ${part}: ${names[part]}=${port + 1} npm start`
          : `Port ${port} (the ${part}) cannot be used (${problem}). Move it with ${names[part]}=<port> npm start`,
      );
      process.exit(1);
    }
  }
}

configureContractMessages();
await checkPorts();
ensureWidgetBuilt();
const apiKey = await seed();
await run('backend', 'backend/server.ts', { PORT: String(ports.backend), LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
const proxyUrl = `http://localhost:${ports.proxy}`;
const demoOrigins = `http://localhost:${ports.demo},http://127.0.0.1:${ports.demo}`;
await run('proxy', 'proxy-server/server.ts', {
  PORT: String(ports.proxy),
  CONFERA_BASE_URL: `http://127.0.0.1:${ports.backend}`,
  CONFERA_API_KEY: apiKey,
  ALLOWED_ORIGINS: demoOrigins,
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
});
await startDemoSite({ port: ports.demo, proxyUrl });

console.log(`
Confera Registration demo
  demo site  http://localhost:${ports.demo}    open this: a customer's site embedding the widget (six pages)
  proxy      ${proxyUrl}    (holds the API key; CORS + JSONP; serves the widget)
  backend    http://localhost:${ports.backend}    (Public API v1, SQLite ${process.env.DATABASE_URL ?? './data/confera.db'})
Ctrl-C stops all three.`);
