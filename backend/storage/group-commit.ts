import { sql, type ControlledTransaction, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.js';

type Work<T> = (trx: Transaction<Database>) => Promise<T>;

interface Unit {
  work: Work<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * Group commit for SQLite. A durable commit costs one fsync (about 0.45 ms here, and the
 * libsql driver is synchronous, so it stalls the event loop), which caps one-commit-per-
 * request at roughly 2,000 commits/s before any other work. Units of work queued in the
 * same turn of the event loop run one after the other in ONE transaction, each inside its
 * own SAVEPOINT: a unit that throws is rolled back alone; the others commit together, and
 * no caller hears "done" before that commit (docs/decisions.md, "Group commit").
 */
export interface GroupCommitOptions {
  /** Units in one transaction at most (default 64). */
  maxBatch?: number;
  /**
   * Called with each batch's size once it has committed or rolled back, before any of its
   * callers is answered: batching is otherwise invisible, and its tests must see it happen.
   */
  onBatch?: (size: number) => void;
}

export class GroupCommitter {
  readonly #db: Kysely<Database>;
  readonly #maxBatch: number;
  readonly #onBatch: (size: number) => void;
  #queue: Unit[] = [];
  #scheduled = false;

  constructor(db: Kysely<Database>, { maxBatch = 64, onBatch = () => {} }: GroupCommitOptions = {}) {
    this.#db = db;
    this.#maxBatch = maxBatch;
    this.#onBatch = onBatch;
  }

  run<T>(work: Work<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // setImmediate, not a microtask: requests parsed in this I/O phase join the batch.
    setImmediate(() => void this.#drain());
  }

  async #drain(): Promise<void> {
    const batch = this.#queue.splice(0, this.#maxBatch);
    try {
      if (batch.length === 1) await this.#runAlone(batch[0]!);
      else await this.#runTogether(batch);
    } finally {
      this.#scheduled = false;
      if (this.#queue.length) this.#schedule();
    }
  }

  async #runAlone(unit: Unit): Promise<void> {
    let outcome: { ok: boolean; value: unknown };
    try {
      outcome = { ok: true, value: await this.#db.transaction().execute(unit.work) };
    } catch (error) {
      outcome = { ok: false, value: error };
    }
    this.#onBatch(1);
    if (outcome.ok) unit.resolve(outcome.value);
    else unit.reject(outcome.value);
  }

  async #runTogether(batch: Unit[]): Promise<void> {
    const outcomes: { ok: boolean; value: unknown }[] = [];
    let trx: ControlledTransaction<Database> | undefined;
    try {
      trx = await this.#db.startTransaction().execute();
      for (const unit of batch) {
        await sql`savepoint unit`.execute(trx);
        try {
          outcomes.push({ ok: true, value: await unit.work(trx) });
          await sql`release savepoint unit`.execute(trx);
        } catch (error) {
          await sql`rollback to savepoint unit`.execute(trx);
          await sql`release savepoint unit`.execute(trx);
          outcomes.push({ ok: false, value: error });
        }
      }
      await trx.commit().execute();
    } catch (error) {
      // The transaction itself failed (disk full, I/O error): nothing of it was committed.
      await trx
        ?.rollback()
        .execute()
        .catch(() => {});
      this.#onBatch(batch.length);
      for (const unit of batch) unit.reject(error);
      return;
    }
    this.#onBatch(batch.length);
    for (const [i, unit] of batch.entries()) {
      const outcome = outcomes[i]!;
      if (outcome.ok) unit.resolve(outcome.value);
      else unit.reject(outcome.value);
    }
  }
}
