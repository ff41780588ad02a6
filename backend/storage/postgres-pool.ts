/** The backend's PostgreSQL connections: pg pools whose statements are prepared by name. */
import { createHash } from 'node:crypto';
import pg from 'pg';

/** The SQLSTATE of an error PostgreSQL answered (`23505`, `40P01`, …), if it is one. */
export const sqlState = (error: unknown): unknown => (error as { code?: unknown } | null)?.code;

/** How many statement texts may be prepared by name; past it, new texts run unnamed. */
const PREPARED_LIMIT = 256;

/** What kysely's PostgresDialect and the batch committer take of a pool. */
export interface PostgresConnections {
  connect(): Promise<pg.PoolClient>;
  end(): Promise<void>;
}

/** A named statement whose plan went stale (`0A000`: a table's columns changed) or that is gone (`26000`). */
const isStalePlan = (error: unknown) => ['0A000', '26000'].includes(String(sqlState(error)));

/**
 * kysely runs every query as an unnamed statement, so PostgreSQL parses and plans it anew on
 * every call: for the create's claim (three CTEs, twenty parameters) a large share of the
 * server's CPU per create, spent while the conference's row is locked (issue 14). A text
 * seen a second time gets a name from its hash; pg prepares a named statement once per
 * connection and then only binds it. Texts without parameters (`begin`, `commit`) stay on
 * the simple protocol, one message each. The bound keeps a query whose text varies (a list
 * of ids) from preparing without end.
 *
 * A prepared `SELECT *` fails once a migration changes its table (a rolling upgrade, with
 * this process still on the old code): that text is never named again, and outside a
 * transaction the query is sent again unnamed at once, so the caller does not see it.
 */
function withPreparedStatements(pool: pg.Pool): PostgresConnections {
  // undefined: never seen; null: seen once; a string: its name; false: never to be named.
  const names = new Map<string, string | null | false>();
  let prepared = 0;
  const nameOf = (text: string): string | undefined => {
    const name = names.get(text);
    if (name) return name;
    if (name === false) return undefined;
    if (name === undefined) {
      if (names.size >= PREPARED_LIMIT * 4) for (const [seen, value] of names) if (value === null) names.delete(seen);
      names.set(text, null);
      return undefined;
    }
    if (prepared >= PREPARED_LIMIT) return undefined;
    prepared++;
    const hashed = `k${createHash('sha256').update(text).digest('base64url').slice(0, 22)}`;
    names.set(text, hashed);
    return hashed;
  };
  const wrapped = new WeakSet<pg.PoolClient>();
  return {
    async connect() {
      const client = await pool.connect();
      if (!wrapped.has(client)) {
        wrapped.add(client);
        const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
        client.query = ((text: unknown, values?: unknown[]) => {
          const name = typeof text === 'string' && values?.length ? nameOf(text) : undefined;
          if (!name) return query(text, values);
          return query({ name, text, values }).catch((error: unknown) => {
            if (!isStalePlan(error)) throw error;
            names.set(text as string, false);
            if (client.getTransactionStatus() !== 'I') throw error;
            return query(text, values);
          });
        }) as never;
      }
      return client;
    },
    end: () => pool.end(),
  };
}

export function postgresPool(url: string, options: pg.PoolConfig): PostgresConnections {
  const pool = new pg.Pool({ connectionString: url, ...options });
  // An idle client's error (the server restarted) must not crash the process.
  pool.on('error', () => {});
  return withPreparedStatements(pool);
}
