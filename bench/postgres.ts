import { pathToFileURL } from 'node:url';
import { CreateRegistration } from '../contract/index.js';
import { createRegistration, insertLocked, type CreateContext } from '../backend/services/registrations.js';
import { isUniqueViolation } from '../backend/storage/database.js';
import { createTestDatabase, TEST_DATABASE_URL } from '../test/helpers/database.js';
import { seedConference } from '../test/helpers/backend.js';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = 32;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

type Create = (ctx: CreateContext, body: CreateRegistration) => Promise<unknown>;

/**
 * "Before" (issue 14): the create as it was on PostgreSQL until then, which is the SQLite path
 * today (`insertLocked`: the conference locked, the sales read, three writes, the commit),
 * each in a transaction of its own. Kept callable so that before and after run side by side.
 * It runs on today's store, whose prepared statements (storage/postgres-pool.ts) make it faster
 * than the old code was: docs/benchmarks.md also has the old commit measured over HTTP.
 */
const before: Create = async (ctx, body) => {
  for (let attempt = 0; ; attempt++) {
    try {
      return await ctx.store.transact((trx) => insertLocked(trx, ctx, body));
    } catch (error) {
      if (!isUniqueViolation(error, 'reference') || attempt >= 3) throw error;
    }
  }
};

/** Creates for one conference per second, CONCURRENCY at a time, in this process (no HTTP). */
async function creates(create: Create): Promise<number> {
  const database = await createTestDatabase('postgres');
  const store = await database.open();
  try {
    const { conferenceId, keyId } = await seedConference(store);
    let n = 0;
    let done = 0;
    const until = performance.now() + DURATION * 1000;
    const worker = async () => {
      while (performance.now() < until) {
        const i = n++;
        const body = CreateRegistration.parse({
          firstName: 'Bench',
          lastName: `P${i}`,
          email: `p${i}@example.org`,
          ticketTypeId: 'free',
          customFields: { dietary: 'Vegan' },
        });
        await create({ store, conferenceId, apiKeyId: keyId, now: new Date() }, body);
        done++;
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    return Math.round(done / ((performance.now() - started) / 1000));
  } finally {
    await store.close();
    await database.drop();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** PostgreSQL creates/s for one conference, the old path and the new, alternating, RUNS times each. */
export async function runPostgresBench(): Promise<{ before: number[]; after: number[] } | null> {
  if (!TEST_DATABASE_URL) {
    console.log('\n## PostgreSQL creates for one conference: skipped (TEST_DATABASE_URL is not set)');
    return null;
  }
  const figures = { before: [] as number[], after: [] as number[] };
  for (let run = 0; run < RUNS; run++) {
    figures.before.push(await creates(before));
    figures.after.push(await creates(createRegistration));
  }
  console.log(`\n## PostgreSQL creates for one conference, in-process (no HTTP), ${CONCURRENCY} at a time, ${DURATION} s, ${RUNS} runs`);
  console.log('| path | creates/s (runs) | median |');
  console.log('| --- | --- | ---: |');
  console.log(`| before: row lock held for 7 round trips | ${figures.before.join(' / ')} | ${median(figures.before)} |`);
  console.log(
    `| after: one claim statement, pipelined batch commits, kept document | ${figures.after.join(' / ')} | ${median(figures.after)} |`,
  );
  return figures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runPostgresBench();
