/**
 * Schema migrations: numbered SQL files per database (`migrations/<dialect>/NNN_name.sql`),
 * forward-only, applied at start-up inside one transaction that holds a lock, so two replicas
 * starting at once apply each file exactly once. A database newer than this bot is refused.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Dialect, SqlDb } from "./db.js";

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * BOT_MIGRATIONS_DIR when set; else next to this file in the source tree, next to a bundle
 * (dist/migrations in the image), or under the working directory.
 */
export function migrationsDir(dialect: Dialect): string {
  const candidates = process.env.BOT_MIGRATIONS_DIR
    ? [process.env.BOT_MIGRATIONS_DIR]
    : [
        fileURLToPath(new URL("./migrations/", import.meta.url)),
        join(process.cwd(), "bot/state/migrations"),
        join(process.cwd(), "dist/migrations"),
      ];
  const found = candidates.map((base) => join(base, dialect)).find((dir) => existsSync(dir));
  if (!found) throw new Error(`No schema migrations for ${dialect} in ${candidates.join(" or ")}`);
  return found;
}

const FILE = /^(\d{3,})_([a-z0-9_]+)\.sql$/;

export function loadMigrations(dir: string): Migration[] {
  const migrations = readdirSync(dir)
    .filter((file) => file.endsWith(".sql"))
    .map((file) => {
      const match = FILE.exec(file);
      if (!match?.[1] || !match[2]) throw new Error(`${dir}/${file}: a migration is named NNN_name.sql`);
      return { version: Number(match[1]), name: match[2], sql: readFileSync(`${dir}/${file}`, "utf8") };
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1)
      throw new Error(
        `${dir}: migrations must be numbered 001, 002, ... without gaps (found ${migration.version})`,
      );
  });
  return migrations;
}

/** An arbitrary constant: the advisory lock that serialises migrations across replicas. */
const MIGRATION_LOCK = 7_212_012;

export interface MigrationReport {
  applied: number[];
  version: number;
}

export async function migrate(
  db: SqlDb,
  migrations: readonly Migration[],
  now = Date.now(),
): Promise<MigrationReport> {
  return db.transaction(
    async (tx) => {
      await tx.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
      );
      const rows = await tx.all<{ version: unknown }>(
        "SELECT version FROM schema_migrations ORDER BY version",
      );
      const done = new Set(rows.map((row) => Number(row.version)));
      const newest = Math.max(0, ...done);
      const known = migrations.length;
      if (newest > known) {
        throw new Error(
          `The database's schema is at version ${newest}, newer than this bot knows (${known}). Migrations are forward-only: run the newer bot.`,
        );
      }
      const applied: number[] = [];
      for (const migration of migrations) {
        if (done.has(migration.version)) continue;
        await tx.exec(migration.sql);
        await tx.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", [
          migration.version,
          migration.name,
          now,
        ]);
        applied.push(migration.version);
      }
      return { applied, version: Math.max(newest, ...applied) };
    },
    { lockKey: MIGRATION_LOCK },
  );
}
