/**
 * A real, throwaway PostgreSQL server for tests: initdb into a temporary directory, start it on a
 * free 127.0.0.1 port with pg_ctl, and remove it all afterwards. Uses Debian's `postgresql`
 * binaries (/usr/lib/postgresql/<version>/bin) or PG_BIN. initdb refuses to run as root, so as
 * root the server runs as the `postgres` OS user.
 *
 * Locally, in one command: `npx tsx test/state/postgres-server.ts` starts one and prints its URL.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

export interface PostgresServer {
  /** postgres://test@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  /** A fresh, empty database on this server; resolves with its URL. */
  createDatabase(name?: string): Promise<string>;
  stop(): Promise<void>;
}

function findBinDir(): string {
  const fromEnv = process.env.PG_BIN;
  if (fromEnv) return fromEnv;
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((name) => existsSync(join(root, name, "bin", "initdb")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const newest = versions[0];
  if (!newest) {
    throw new Error(
      "No PostgreSQL server binaries: install Debian's postgresql package (apt-get install -y postgresql) or set PG_BIN",
    );
  }
  return join(root, newest, "bin");
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startPostgres(): Promise<PostgresServer> {
  const bin = findBinDir();
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), "bot-pg-"));
  const data = join(dir, "data");
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    chownSync(dir, uid, gid);
    chmodSync(dir, 0o700);
  }
  const run = (command: string, args: string[]) =>
    asRoot
      ? execFileSync("runuser", ["-u", "postgres", "--", join(bin, command), ...args], { stdio: "pipe" })
      : execFileSync(join(bin, command), args, { stdio: "pipe" });

  run("initdb", ["-D", data, "-U", "test", "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions"]);
  const port = await freePort();
  const options = `-p ${port} -h 127.0.0.1 -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50`;
  run("pg_ctl", ["start", "-w", "-t", "30", "-D", data, "-l", join(dir, "server.log"), "-o", options]);
  const url = `postgres://test@127.0.0.1:${port}/postgres`;
  let databases = 0;
  let stopped = false;

  return {
    url,
    port,
    async createDatabase(name = `t${process.pid}_${++databases}`) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } finally {
        await client.end();
      }
      return `postgres://test@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        run("pg_ctl", ["stop", "-D", data, "-m", "immediate", "-w"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

// `npx tsx test/state/postgres-server.ts`: a server for local runs of the bot, until Ctrl-C.
if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await startPostgres();
  const database = await server.createDatabase("bot");
  process.stdout.write(
    `PostgreSQL is running. DATABASE_URL=${database}\nCtrl-C stops it and deletes its data.\n`,
  );
  const stop = () => {
    void server.stop().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  setInterval(() => {}, 1 << 30);
}
