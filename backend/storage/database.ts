import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  CompiledQuery,
  Kysely,
  type Transaction,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type SqliteDialectConfig,
} from 'kysely';
import Sqlite from 'libsql';
import type { Database } from './schema.js';
import { BatchCommitter } from './batch-commit.js';
import { postgresPool } from './postgres-pool.js';
import { GroupCommitter } from './group-commit.js';

export type Dialect = 'sqlite' | 'postgres';

/** The database handle every part of the backend receives (createApp's `store`). */
export interface Store {
  db: Kysely<Database>;
  dialect: Dialect;
  /**
   * Runs `work` in a transaction of its own (PostgreSQL) or in a shared group commit
   * (SQLite, see group-commit.ts). Either way: all of it commits, or none of it.
   */
  transact<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  /**
   * Runs `work` in a transaction shared with other callers' (batch-commit.ts on PostgreSQL;
   * the group commit on SQLite). For work that writes a hot row, under the rules of
   * `BatchCommitter`: a unit never fails after writing, never catches a database error, never
   * opens a transaction or a batch of its own, and never depends on another unit of its batch
   * (on PostgreSQL they run at the same time). `key` (the conference) orders a batch's units.
   */
  batch<T>(work: (db: Kysely<Database>) => Promise<T>, key?: string): Promise<T>;
  close(): Promise<void>;
}

export const DEFAULT_SQLITE_FILE = './data/confera.db';

export type DatabaseTarget = { dialect: 'sqlite'; file: string } | { dialect: 'postgres'; url: string };

/**
 * `DATABASE_URL` (SPEC §6): unset means `./data/confera.db`; `sqlite:PATH` or `file:PATH`
 * a SQLite file; `postgres://…` or `postgresql://…` PostgreSQL.
 */
export function parseDatabaseUrl(url: string | undefined): DatabaseTarget {
  if (!url) return { dialect: 'sqlite', file: DEFAULT_SQLITE_FILE };
  if (/^postgres(ql)?:\/\//i.test(url)) return { dialect: 'postgres', url };
  const file = /^(sqlite|file):(.+)$/i.exec(url)?.[2];
  if (file) return { dialect: 'sqlite', file: file.replace(/^\/\/(?=\/)/, '') };
  throw new Error('DATABASE_URL must start with postgres://, sqlite: or file:');
}

/**
 * SQLite's default `BEGIN` is deferred: two processes that both read and then write can
 * deadlock with SQLITE_BUSY. `BEGIN IMMEDIATE` takes the write lock first, so transactions
 * from several backend processes queue on the busy timeout instead (docs/decisions.md).
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

/**
 * kysely prepares every query anew; preparing costs about as much as running a small one.
 * Statements are reusable and the connection is used by one query at a time, so a cache
 * keyed by SQL text is safe. Our queries are a fixed, small set; the bound keeps it so.
 */
function withStatementCache(database: Sqlite.Database): SqliteDialectConfig['database'] {
  const cache = new Map<string, Sqlite.Statement>();
  return {
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (!statement) {
        if (cache.size >= 256) cache.clear();
        statement = database.prepare(sql);
        cache.set(sql, statement);
      }
      return statement;
    },
    close: () => database.close(),
  } as never;
}

function openSqlite(file: string): Store {
  if (file !== ':memory:') mkdirSync(dirname(resolve(file)), { recursive: true });
  const database = new Sqlite(file);
  // WAL persists in the file; synchronous does not, and FULL makes a commit durable
  // before the 201 goes out (SPEC §2 storage).
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.pragma('busy_timeout = 10000');
  database.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(database) }) });
  const committer = new GroupCommitter(db);
  const transact = <T>(work: (trx: Transaction<Database>) => Promise<T>) => committer.run(work);
  return { db, dialect: 'sqlite', transact, batch: transact, close: () => db.destroy() };
}

/** How long one statement of a create batch may run (PostgreSQL's `statement_timeout`). */
export const BATCH_STATEMENT_MS = 10_000;

function openPostgres(url: string, poolSize: number, batchStatementMs: number, statementMs: number | undefined): Store {
  // COUNT(*) and BIGINT come back as strings from pg; we only store INTEGER, read as numbers.
  // A request's statements get a limit too where the server asks for one (`statementMs`): a
  // statement waiting on a lock held elsewhere would otherwise hold its connection for as long
  // as the lock lives, and ten of them every request of the process. Not for migrations or
  // the admin CLI, whose statements may rightly run long.
  const limits = statementMs
    ? { statement_timeout: statementMs, query_timeout: statementMs + 5_000, connectionTimeoutMillis: statementMs }
    : {};
  const pool = postgresPool(url, { max: poolSize, ...limits });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  // One more connection, pipelined, for the batches (one runs at a time). Every create of the
  // process waits on it, so a statement stuck on a foreign lock fails after BATCH_STATEMENT_MS
  // (a 500 for that batch, as the proxy would give up at 12 s anyway), and a link that went
  // silent is given up a little later (pg destroys the connection).
  const batchPool = postgresPool(url, {
    max: 1,
    pipeline: true,
    statement_timeout: batchStatementMs,
    query_timeout: batchStatementMs + 5_000,
  });
  const batcher = new BatchCommitter(batchPool);
  return {
    db,
    dialect: 'postgres',
    transact: (work) => db.transaction().execute(work),
    batch: (work, key) => batcher.run(work, key),
    close: async () => {
      await db.destroy();
      await batchPool.end();
    },
  };
}

export interface StoreOptions {
  /** PostgreSQL: connections for reads and other writes (`PG_POOL_SIZE`); default 10. */
  poolSize?: number;
  /** PostgreSQL: a batch statement's limit; default BATCH_STATEMENT_MS (shorter in tests). */
  batchStatementMs?: number;
  /**
   * PostgreSQL: the limit of every other statement, and of the wait for a free connection;
   * the server sets REQUEST_STATEMENT_MS. Default none: migrations and the admin CLI.
   */
  statementMs?: number;
}

/** How long a statement of a request may run, and wait for a connection, in the server. */
export const REQUEST_STATEMENT_MS = 10_000;

export function openDatabase(url: string | undefined, options: StoreOptions = {}): Store {
  const target = parseDatabaseUrl(url);
  return target.dialect === 'sqlite'
    ? openSqlite(target.file)
    : openPostgres(target.url, options.poolSize ?? 10, options.batchStatementMs ?? BATCH_STATEMENT_MS, options.statementMs);
}

/**
 * A unique-constraint violation on either database. `hint` narrows it: a part of the
 * constraint's name (PostgreSQL) or of the column list in the message (SQLite).
 */
export function isUniqueViolation(error: unknown, hint?: string): boolean {
  const e = error as { code?: string; constraint?: string; message?: string } | null;
  if (!e || typeof e.code !== 'string') return false;
  const unique = e.code === '23505' || e.code.startsWith('SQLITE_CONSTRAINT');
  return unique && (!hint || (e.constraint ?? '').includes(hint) || (e.message ?? '').includes(hint));
}
