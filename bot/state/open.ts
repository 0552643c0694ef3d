/**
 * Opening the store named by DATABASE_URL: `sqlite:<path>` (the default, sqlite:./data/bot.sqlite)
 * or `postgres://…` / `postgresql://…`. Migrations run before the store is handed out.
 */
import type { SqlDb } from "./db.js";
import { loadMigrations, type MigrationReport, migrate, migrationsDir } from "./migrations.js";
import { describePostgresUrl, openPostgresDb } from "./postgres-db.js";
import { SqlStore } from "./sql-store.js";
import { openSqliteDb } from "./sqlite-db.js";
import type { BotStore } from "./store.js";

const DEFAULT_DATABASE_URL = "sqlite:./data/bot.sqlite";

export type DatabaseTarget = { kind: "sqlite"; path: string } | { kind: "postgres"; url: string };

/** Throws with a message naming DATABASE_URL (never its password) when it is not usable. */
export function parseDatabaseUrl(value: string | undefined): DatabaseTarget {
  const url = value?.trim() || DEFAULT_DATABASE_URL;
  if (url.startsWith("sqlite:")) {
    const path = url.slice("sqlite:".length).replace(/^\/\/(?=\/)/, "");
    if (!path) throw new Error("DATABASE_URL: sqlite: needs a file path, e.g. sqlite:./data/bot.sqlite");
    return { kind: "sqlite", path };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    try {
      new URL(url);
    } catch {
      throw new Error("DATABASE_URL: not a valid postgres:// URL");
    }
    return { kind: "postgres", url };
  }
  throw new Error("DATABASE_URL must start with sqlite: or postgres:// (e.g. sqlite:./data/bot.sqlite)");
}

export function describeDatabase(target: DatabaseTarget): string {
  return target.kind === "sqlite" ? `sqlite:${target.path}` : describePostgresUrl(target.url);
}

export interface OpenedStore {
  store: BotStore;
  migrations: MigrationReport;
}

export async function openStore(
  target: DatabaseTarget,
  options: {
    onError?: (error: Error) => void;
    /** For the bot process: a SQLite file is its alone (a second bot process is refused). */
    ownProcess?: boolean;
  } = {},
): Promise<OpenedStore> {
  const db: SqlDb =
    target.kind === "sqlite"
      ? openSqliteDb(target.path, { ownProcess: options.ownProcess ?? false })
      : openPostgresDb(target.url, options.onError ? { onError: options.onError } : {});
  try {
    const migrations = await migrate(db, loadMigrations(migrationsDir(db.dialect)));
    return { store: new SqlStore(db), migrations };
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
}
