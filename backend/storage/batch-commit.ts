import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

type Work<T> = (trx: Transaction<Database>) => Promise<T>;

interface Unit {
  work: Work<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * Batched commits for PostgreSQL's hot rows (issue 14). Every create for one conference
 * updates the conference's counter row, whose lock is held until the commit is on disk
 * (≈1 ms of fsync here): one create per transaction caps one conference at well under
 * 1,000/s however short the transaction. Units queued while a batch runs go into the next
 * batch, ONE transaction, one after the other, one fsync for all of them.
 *
 * No savepoints (each would be two more round trips under the lock): a unit must not fail
 * after it has written. The create's claim is built that way: it refuses by writing nothing,
 * or undoes its own writes before it returns. A unit that throws (a database error) fails its
 * whole batch, and every caller in it hears that error: nothing of it was committed.
 */
export class BatchCommitter {
  readonly #db: Kysely<Database>;
  readonly #maxBatch: number;
  #queue: Unit[] = [];
  #running = false;

  constructor(db: Kysely<Database>, { maxBatch = 64 }: { maxBatch?: number } = {}) {
    this.#db = db;
    this.#maxBatch = maxBatch;
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
        let values: unknown[];
        try {
          values = await this.#db.transaction().execute(async (trx) => {
            const done: unknown[] = [];
            for (const unit of batch) done.push(await unit.work(trx));
            return done;
          });
        } catch (error) {
          for (const unit of batch) unit.reject(error);
          continue;
        }
        for (const [i, unit] of batch.entries()) unit.resolve(values[i]);
      }
    } finally {
      this.#running = false;
    }
  }
}
