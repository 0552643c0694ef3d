/**
 * SQLite through Node's built-in `node:sqlite` (no dependency). One connection per file and
 * process, shared by every handle: the calls are synchronous, so transactions are serialised
 * in-process (a second connection in the same thread would wait on the file lock forever) and
 * BEGIN IMMEDIATE takes the file's write lock against other processes.
 *
 * The event loop never waits on a lock: busy_timeout is 0, and a statement that finds the file
 * locked by another process (an admin's sqlite3 shell, a backup) is tried again after an async
 * pause with backoff, for up to 10 s. A bot process also holds `<file>.lock` for as long as it runs
 * (an exclusive SQLite lock the kernel drops when the process ends), so a second bot process on the
 * same file is refused at start.
 */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { setTimeout as sleep } from "node:timers/promises";
import { KeyedLock } from "../../shared/rotation/lock.js";
import type { SqlDb, SqlRunner, SqlValue } from "./db.js";

/** How long a statement keeps trying while another process holds the file's lock. */
const LOCKED_RETRY_MS = 10_000;
const FIRST_PAUSE_MS = 5;
const LONGEST_PAUSE_MS = 200;

/** SQLITE_BUSY, also as an extended code (e.g. SQLITE_BUSY_SNAPSHOT). */
function isBusy(error: unknown): boolean {
  const code = (error as { errcode?: unknown } | null)?.errcode;
  return typeof code === "number" && (code & 0xff) === 5;
}

/** Runs `statement`; while the file is locked by another process, tries again after a pause (async). */
async function whileLocked<T>(file: string, statement: () => T): Promise<T> {
  const deadline = Date.now() + LOCKED_RETRY_MS;
  for (let pause = FIRST_PAUSE_MS; ; pause = Math.min(pause * 2, LONGEST_PAUSE_MS)) {
    try {
      return statement();
    } catch (error) {
      if (!isBusy(error)) throw error;
      if (Date.now() + pause > deadline)
        throw new Error(
          `the SQLite database ${file} stayed locked by another process for ${LOCKED_RETRY_MS / 1000} s`,
        );
      await sleep(pause);
    }
  }
}

/**
 * Holds `<file>.lock` exclusively for as long as this process keeps it open; throws, naming the
 * file, when another process holds it.
 */
function holdProcessLock(file: string): DatabaseSync {
  const lockFile = `${file}.lock`;
  const lock = new DatabaseSync(lockFile);
  try {
    lock.exec("PRAGMA busy_timeout = 0; PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;");
  } catch (error) {
    lock.close();
    if (!isBusy(error)) throw error;
    throw new Error(
      `another bot process is using the SQLite database ${file} (it holds ${lockFile}). One SQLite file serves one bot process: stop the other one, or use PostgreSQL (DATABASE_URL=postgres://…) for several.`,
    );
  }
  return lock;
}

interface Connection {
  db: DatabaseSync;
  /** The file's path, for messages (":memory:" for an in-memory database). */
  file: string;
  /** Set once a bot process took the file for itself (openSqliteDb's `ownProcess`). */
  processLock?: DatabaseSync;
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
  // No waiting inside SQLite: a locked file is retried asynchronously (whileLocked).
  db.exec("PRAGMA busy_timeout = 0; PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;");
  const file = path === ":memory:" ? path : key;
  const connection: Connection = { db, file, serial: new KeyedLock(), inTransaction: false, handles: 1 };
  connections.set(key, connection);
  return connection;
}

export interface SqliteDbOptions {
  /** The bot process takes the file for itself: a second process asking for it is refused. */
  ownProcess?: boolean;
}

export function openSqliteDb(path: string, options: SqliteDbOptions = {}): SqlDb {
  const connection = connect(path);
  const { db, serial, file } = connection;
  if (options.ownProcess && !connection.processLock && file !== ":memory:") {
    try {
      connection.processLock = holdProcessLock(file);
    } catch (error) {
      connection.handles--;
      if (connection.handles === 0) {
        for (const [key, value] of connections) if (value === connection) connections.delete(key);
        db.close();
      }
      throw error;
    }
  }
  let closed = false;

  // Inside a transaction (this process holds the write lock from BEGIN IMMEDIATE on).
  const runner: SqlRunner = {
    all<Row>(sql: string, params: readonly SqlValue[] = []) {
      return whileLocked(file, () => db.prepare(sql).all(...params) as Row[]);
    },
    run(sql, params = []) {
      return whileLocked(file, () => Number(db.prepare(sql).run(...params).changes));
    },
    exec(script) {
      return whileLocked(file, () => db.exec(script));
    },
  };
  // Outside a transaction, a statement must not slip into another caller's open transaction: it
  // waits for it, and one that finds the file locked retries holding the transaction slot, so no
  // transaction opens between its tries.
  const outside = <T>(statement: () => T): Promise<T> => {
    if (connection.inTransaction) return serial.run("tx", () => whileLocked(file, statement));
    try {
      return Promise.resolve(statement());
    } catch (error) {
      if (!isBusy(error)) return Promise.reject(error);
      return serial.run("tx", () => whileLocked(file, statement));
    }
  };

  return {
    dialect: "sqlite",
    all<Row>(sql: string, params: readonly SqlValue[] = []) {
      return outside(() => db.prepare(sql).all(...params) as Row[]);
    },
    run(sql, params = []) {
      return outside(() => Number(db.prepare(sql).run(...params).changes));
    },
    exec(script) {
      return outside(() => db.exec(script));
    },
    transaction(work) {
      return serial.run("tx", async () => {
        await whileLocked(file, () => db.exec("BEGIN IMMEDIATE"));
        connection.inTransaction = true;
        try {
          const result = await work(runner);
          await whileLocked(file, () => db.exec("COMMIT"));
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
      await serial.run("tx", async () => {
        db.close();
        connection.processLock?.close();
      });
    },
  };
}
