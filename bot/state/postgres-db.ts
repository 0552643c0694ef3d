/**
 * PostgreSQL through `pg` (a small pool). Any number of bot processes may share the database:
 * everything that must not race is one statement, a row lock or an advisory lock.
 */
import pg from "pg";
import { numberPlaceholders, type SqlDb, type SqlRunner, type SqlValue } from "./db.js";

type Queryable = Pick<pg.Pool | pg.PoolClient, "query">;

function runnerOn(target: Queryable): SqlRunner {
  return {
    async all<Row>(sql: string, params: readonly SqlValue[] = []) {
      const result = await target.query(numberPlaceholders(sql), [...params]);
      return result.rows as Row[];
    },
    async run(sql, params = []) {
      const result = await target.query(numberPlaceholders(sql), [...params]);
      return result.rowCount ?? 0;
    },
    async exec(script) {
      await target.query(script);
    },
  };
}

export interface PostgresDbOptions {
  /** Called with a pool error (e.g. the server went away); the pool replaces the connection. */
  onError?: (error: Error) => void;
  max?: number;
}

export function openPostgresDb(url: string, options: PostgresDbOptions = {}): SqlDb {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 5,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
  });
  pool.on("error", (error) => options.onError?.(error));
  return {
    dialect: "postgres",
    ...runnerOn(pool),
    async transaction(work, transactionOptions = {}) {
      const client = await pool.connect();
      // The pool listens for errors only on idle clients: a checked-out client whose connection
      // drops (a failover, pg_terminate_backend) emits "error" with nobody listening, which would
      // end the process. Here it fails this transaction instead, and the client is discarded.
      let lost: Error | undefined;
      const onLost = (error: Error) => {
        lost = error;
        options.onError?.(error);
      };
      client.on("error", onLost);
      try {
        await client.query("BEGIN");
        if (transactionOptions.lockKey !== undefined) {
          await client.query("SELECT pg_advisory_xact_lock($1)", [transactionOptions.lockKey]);
        }
        const result = await work(runnerOn(client));
        await client.query("COMMIT");
        return result;
      } catch (error) {
        if (!lost) await client.query("ROLLBACK").catch(() => {});
        throw error;
      } finally {
        client.off("error", onLost);
        // With an error the pool closes the client instead of reusing it.
        client.release(lost);
      }
    },
    async close() {
      await pool.end();
    },
  };
}

/** The URL without its password, for messages. */
export function describePostgresUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = "";
    parsed.search = "";
    return parsed.toString();
  } catch {
    return "postgres://(unparseable URL)";
  }
}
