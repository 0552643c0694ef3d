/**
 * The little SQL surface the store needs, with one adapter per database. Statements are written
 * once with `?` placeholders; the PostgreSQL adapter numbers them ($1, $2, ...).
 */

export type SqlValue = string | number | bigint | null;

export type Dialect = "sqlite" | "postgres";

export interface SqlRunner {
  /** Rows of a query (or of a statement with RETURNING). */
  all<Row = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  /** Runs a statement; resolves with the number of rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
}

export interface SqlDb extends SqlRunner {
  readonly dialect: Dialect;
  /**
   * Runs `work` in one transaction that holds the database's write lock from its start
   * (SQLite: BEGIN IMMEDIATE; PostgreSQL: one connection, and `lockKey` as a transaction-scoped
   * advisory lock when given). Commits when `work` resolves, rolls back when it throws.
   */
  transaction<T>(work: (tx: SqlRunner) => Promise<T>, options?: { lockKey?: number }): Promise<T>;
  close(): Promise<void>;
}

/** `?` → `$1`, `$2`, ... (our statements never hold a literal question mark). */
export function numberPlaceholders(sql: string): string {
  let index = 0;
  return sql.replace(/\?/g, () => `$${++index}`);
}

/** Integers come back as strings from PostgreSQL (BIGINT) and as numbers from SQLite. */
export function toNumber(value: unknown): number | undefined {
  if (value === null || value === undefined) return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

export function toText(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : String(value);
}
