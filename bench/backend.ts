import { pathToFileURL } from 'node:url';
import { createTestDatabase, TEST_DATABASE_URL, type TestDialect } from '../test/helpers/database.js';
import { seedConference } from '../test/helpers/backend.js';
import { spawnBackend } from '../test/helpers/process.js';
import { SERVER_NODE_FLAGS } from '../lib/node-flags.js';
import { type LoadFigures, load, newPersonRequest, peakRssMb, printTable } from './support.js';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 32;
const CREATE_PATH = '/api/public/v1/registrations/registrations';

/**
 * Registrations created per second over HTTP at 32 concurrent clients, against the real
 * backend process (production settings: durable commits, request log on), every request a
 * new person, so every 201 is a real insert. Reports p50/p99 and the backend's peak RSS.
 */
export async function benchBackend(dialect: TestDialect): Promise<{ figures: LoadFigures; rssMb: number | null }> {
  const database = await createTestDatabase(dialect);
  const store = await database.open();
  const { apiKey } = await seedConference(store);
  await store.close();
  const backend = await spawnBackend({ DATABASE_URL: database.url, LOG_LEVEL: 'info' }, { compiled: true, nodeArgs: SERVER_NODE_FLAGS });
  let n = 0;
  try {
    // Warm-up: JIT and connection pools, not measured.
    await load('warm-up', {
      url: backend.url,
      connections: 8,
      duration: 2,
      requests: [newPersonRequest(CREATE_PATH, { 'x-api-key': apiKey }, () => `w${n++}`)],
    });
    const figures = await load(`create on ${dialect}`, {
      url: backend.url,
      connections: CONNECTIONS,
      duration: DURATION,
      requests: [newPersonRequest(CREATE_PATH, { 'x-api-key': apiKey }, () => String(n++))],
    });
    return { figures, rssMb: peakRssMb(backend.child.pid!) };
  } finally {
    await backend.stop();
    await database.drop();
  }
}

export async function runBackendBench(): Promise<void> {
  const dialects: TestDialect[] = TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
  const rows: LoadFigures[] = [];
  const rss: string[] = [];
  for (const dialect of dialects) {
    const { figures, rssMb } = await benchBackend(dialect);
    rows.push(figures);
    rss.push(`${dialect}: ${rssMb ?? '?'} MB`);
  }
  console.log(`\n## Backend: creates over HTTP, ${CONNECTIONS} connections, ${DURATION} s`);
  printTable(rows);
  console.log(`peak RSS of the backend process: ${rss.join(', ')}`);
  if (!TEST_DATABASE_URL) console.log('(PostgreSQL skipped: TEST_DATABASE_URL is not set)');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runBackendBench();
