import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import type { Database } from './schema.js';

type Work<T> = (db: Kysely<Database>) => Promise<T>;

interface Unit {
  work: Work<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * Batched, pipelined commits for PostgreSQL's hot rows (issue 14). Every create for one
 * conference updates the conference's counter row, whose lock is held until the commit is on
 * disk: one create per transaction caps one conference at well under 1,000/s however short
 * the transaction. Units queued while a batch runs go into the next batch: ONE transaction,
 * one fsync for all of them.
 *
 * The units of a batch run at the same time on one pipelined connection (pg's
 * `pipeline: true`): their statements go out back to back and PostgreSQL runs them in the
 * order sent, so a batch of 32 claims costs about one round trip, not 32, while the row is
 * locked. A unit's own statements stay in its order; the units' statements interleave. A
 * unit must therefore not depend on a unit before it in the batch: the create's claim is
 * built that way (a refusal is re-checked after the commit, registrations-postgres.ts).
 *
 * No savepoints (each would be two more statements under the lock): a unit must not fail
 * after it has written. A unit that throws (a database error) fails its whole batch, and every
 * caller in it hears that error: nothing of it was committed.
 */
export class BatchCommitter {
  readonly #pool: pg.Pool;
  readonly #maxBatch: number;
  /** The connection of the running batch, which `#db` sends every statement to. */
  #client: pg.PoolClient | undefined;
  readonly #db: Kysely<Database>;
  #queue: Unit[] = [];
  #running = false;

  /** `pool` must be made with `pipeline: true`; the committer uses one of its connections at a time. */
  constructor(pool: pg.Pool, { maxBatch = 64 }: { maxBatch?: number } = {}) {
    this.#pool = pool;
    this.#maxBatch = maxBatch;
    // kysely runs one statement at a time on a transaction's connection; this instance sees
    // the batch's connection as a pool that hands out the same client every time, so that the
    // units' statements are sent without waiting for each other.
    const shared = {
      query: (text: string, values: unknown[]) => this.#client!.query(text, values),
      release: () => {},
    };
    const pool_ = { connect: async () => shared, end: async () => {} };
    this.#db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: pool_ as never }) });
  }

  run<T>(work: Work<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.#running) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#running = true;
    try {
      while (this.#queue.length) {
        const batch = this.#queue.splice(0, this.#maxBatch);
        try {
          const values = await this.#commit(batch);
          for (const [i, unit] of batch.entries()) unit.resolve(values[i]);
        } catch (error) {
          for (const unit of batch) unit.reject(error);
        }
      }
    } finally {
      this.#running = false;
    }
  }

  async #commit(batch: Unit[]): Promise<unknown[]> {
    const client = await this.#pool.connect();
    // A connection that dies mid-batch fails the batch's statements; its 'error' event,
    // with no listener, would crash the process.
    if (!client.listenerCount('error')) client.on('error', () => {});
    this.#client = client;
    let reusable = false;
    try {
      const begun = client.query('begin');
      // Every unit is settled before the transaction ends, so that no statement of a unit
      // still running can land outside it (after the rollback, in autocommit).
      const settled = await Promise.allSettled([begun, ...batch.map((unit) => unit.work(this.#db))]);
      const failed = settled.find((outcome) => outcome.status === 'rejected');
      if (failed) {
        reusable = await client.query('rollback').then(
          () => true,
          () => false,
        );
        throw failed.reason;
      }
      try {
        await client.query('commit');
        reusable = true;
      } catch (error) {
        reusable = isStatementError(error);
        throw error;
      }
      return settled.slice(1).map((outcome) => (outcome as PromiseFulfilledResult<unknown>).value);
    } finally {
      this.#client = undefined;
      // A connection whose transaction may still be open is closed, not reused.
      client.release(!reusable);
    }
  }
}

/** An error PostgreSQL answered for one statement (it has a SQLSTATE): the connection is still good. */
function isStatementError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
}
