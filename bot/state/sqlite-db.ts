/**
 * SQLite through Node's built-in `node:sqlite` (no dependency). One connection per file and
 * process, shared by every handle: the calls are synchronous, so transactions are serialised
 * in-process (a second connection in the same thread would wait on the file lock forever) and
 * BEGIN IMMEDIATE takes the file's write lock against other processes (they wait up to busy_timeout).
 */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { KeyedLock } from "../../shared/rotation/lock.js";
import type { SqlDb, SqlRunner, SqlValue } from "./db.js";

interface Connection {
  db: DatabaseSync;
  serial: KeyedLock;
  inTransaction: boolean;
  handles: number;
}

const connections = new Map<string, Connection>();

function connect(path: string): Connection {
  const key = path === ":memory:" ? `:memory:${connections.size}` : resolve(path);
  const existing = connections.get(key);
  if (existing) {
    existing.handles++;
    return existing;
  }
  if (path !== ":memory:") mkdirSync(dirname(key), { recursive: true });
  const db = new DatabaseSync(path === ":memory:" ? path : key);
  db.exec("PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;");
  const connection: Connection = { db, serial: new KeyedLock(), inTransaction: false, handles: 1 };
  connections.set(key, connection);
  return connection;
}

export function openSqliteDb(path: string): SqlDb {
  const connection = connect(path);
  const { db, serial } = connection;
  let closed = false;

  const runner: SqlRunner = {
    async all<Row>(sql: string, params: readonly SqlValue[] = []) {
      return db.prepare(sql).all(...params) as Row[];
    },
    async run(sql, params = []) {
      return Number(db.prepare(sql).run(...params).changes);
    },
    async exec(script) {
      db.exec(script);
    },
  };
  // Outside a transaction, a statement must not slip into another caller's open transaction.
  const guarded =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      connection.inTransaction ? serial.run("tx", () => call(...args)) : call(...args);

  return {
    dialect: "sqlite",
    all: guarded(runner.all) as SqlRunner["all"],
    run: guarded(runner.run),
    exec: guarded(runner.exec),
    transaction(work) {
      return serial.run("tx", async () => {
        db.exec("BEGIN IMMEDIATE");
        connection.inTransaction = true;
        try {
          const result = await work(runner);
          db.exec("COMMIT");
          return result;
        } catch (error) {
          db.exec("ROLLBACK");
          throw error;
        } finally {
          connection.inTransaction = false;
        }
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      connection.handles--;
      if (connection.handles > 0) return;
      for (const [key, value] of connections) if (value === connection) connections.delete(key);
      await serial.run("tx", async () => db.close());
    },
  };
}
