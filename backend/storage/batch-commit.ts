import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import { sqlState, type PostgresConnections } from './postgres-pool.js';
import type { Database } from './schema.js';

type Work<T> = (db: Kysely<Database>) => Promise<T>;

interface Unit {
  work: Work<unknown>;
  /** Units of a batch start in the order of their keys (see `run`). */
  key: string;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** How often a batch that lost a deadlock or a serialisation check runs again. */
const RETRIES = 3;

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
 * Units start in the order of their keys (the conference), so that two processes' batches
 * take the rows of several conferences in the same order and cannot deadlock each other; a
 * batch that still loses a deadlock (or a serialisation check) has committed nothing and runs
 * again, up to RETRIES times.
 *
 * No savepoints (each would be two more statements under the lock): a unit must not fail
 * after it has written, nor catch a database error and go on (the commit would then be a
 * rollback, and is refused as one). A unit that throws fails its whole batch, and every
 * caller in it hears that error: nothing of it was committed.
 */
export class BatchCommitter {
  readonly #pool: PostgresConnections;
  readonly #maxBatch: number;
  /** The connection of the running batch, which `#db` sends every statement to. */
  #client: pg.PoolClient | undefined;
  readonly #db: Kysely<Database>;
  #queue: Unit[] = [];
  #running = false;

  /** `pool` must be made with `pipeline: true`; the committer uses one of its connections at a time. */
  constructor(pool: PostgresConnections, { maxBatch = 64 }: { maxBatch?: number } = {}) {
    this.#pool = pool;
    this.#maxBatch = maxBatch;
    // kysely runs one statement at a time on a transaction's connection; this instance sees
    // the batch's connection as a pool that hands out the same client every time, so that the
    // units' statements are sent without waiting for each other.
    const shared = {
      query: (text: string, values: unknown[]) => {
        if (!this.#client) throw new Error('A batch unit ran a statement after its batch ended');
        return this.#client.query(text, values);
      },
      release: () => {},
    };
    const pool_ = { connect: async () => shared, end: async () => {} };
    this.#db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: pool_ as never }) });
  }

  /** Runs `work` in the next batch; `key` (a conference id) orders the units of a batch. */
  run<T>(work: Work<T>, key = ''): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, key, resolve: resolve as (value: unknown) => void, reject });
      if (!this.#running) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#running = true;
    try {
      while (this.#queue.length) {
        const batch = this.#queue.splice(0, this.#maxBatch).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
        for (let attempt = 1; ; attempt++) {
          try {
            const values = await this.#commit(batch);
            for (const [i, unit] of batch.entries()) unit.resolve(values[i]);
            break;
          } catch (error) {
            if (attempt <= RETRIES && isRetryable(error)) continue;
            for (const unit of batch) unit.reject(error);
            break;
          }
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
      // still running can land outside it (after the rollback, in autocommit); `async`
      // makes a unit that throws at once one more rejection, not an escape from here.
      const settled = await Promise.allSettled([begun, ...batch.map(async (unit) => unit.work(this.#db))]);
      const failed = settled.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
      if (failed.length) {
        reusable = await client.query('rollback').then(
          () => true,
          () => false,
        );
        // The statements behind a failed one fail too ("transaction is aborted"): the cause
        // is the first failure that is not that.
        throw (failed.find((outcome) => !isAborted(outcome.reason)) ?? failed[0]!).reason;
      }
      const committed = await client.query('commit').catch((error: unknown) => {
        reusable = isStatementError(error);
        throw error;
      });
      reusable = true;
      // A transaction that failed answers COMMIT with ROLLBACK, not with an error.
      if (committed.command !== 'COMMIT') throw new Error('The batch was rolled back by PostgreSQL');
      return settled.slice(1).map((outcome) => (outcome as PromiseFulfilledResult<unknown>).value);
    } finally {
      this.#client = undefined;
      // A connection whose transaction may still be open is closed, not reused.
      client.release(!reusable);
    }
  }
}

/** `25P02`: a statement after a failed one in the same transaction. */
const isAborted = (error: unknown) => sqlState(error) === '25P02';

/** A deadlock (`40P01`) or a serialisation failure (`40001`): nothing committed, worth running again. */
const isRetryable = (error: unknown) => sqlState(error) === '40P01' || sqlState(error) === '40001';

/** An error PostgreSQL answered for one statement (it has a SQLSTATE): the connection is still good. */
function isStatementError(error: unknown): boolean {
  const code = sqlState(error);
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
}
