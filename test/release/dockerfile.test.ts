/**
 * The Dockerfile rehearsed without an engine (none can run here, and no base image can be pulled):
 * its instructions are read and carried out in temporary directories, one per stage standing for
 * its /app, with the checkout's Node 24 standing for the node:24 base image. The image's command then
 * starts the bot against the emulator and the fake Slack API, and the image's HEALTHCHECK must pass.
 *
 * Two things differ from an engine, on purpose: the build stage's `npm ci` links the checkout's
 * node_modules (what `npm ci` of this lock file installs) instead of downloading it again, and
 * `--chown` is not applied (the image's `node` user does not exist here). Any instruction the
 * rehearsal does not know fails the test, so the Dockerfile cannot outgrow it unnoticed.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS, runBuiltBot } from "./run-built-bot.js";

const exec = promisify(execFile);

interface Stage {
  name?: string;
  image: string;
  root: string;
  workdir: string;
  env: Record<string, string>;
  user?: string;
  volumes: string[];
  healthcheck?: string[];
  cmd?: string[];
}

/** The instructions, with continuation lines joined and comments dropped. */
function instructions(text: string): Array<{ op: string; args: string }> {
  return text
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"))
    .map((line) => {
      const op = line.split(/\s+/, 1)[0] ?? "";
      return { op: op.toUpperCase(), args: line.slice(op.length).trim() };
    });
}

/** A path inside the image (absolute, or relative to the stage's WORKDIR) in the stage's directory. */
function inStage(stage: Stage, path: string): string {
  const absolute = path.startsWith("/") ? path : join(stage.workdir, path);
  if (absolute !== "/app" && !absolute.startsWith("/app/")) {
    throw new Error(`the rehearsal maps only /app, not ${absolute}`);
  }
  return join(stage.root, relative("/app", absolute));
}

const PATH_WITH_NODE_24 = `${dirname(process.execPath)}:${process.env.PATH ?? ""}`;

async function rehearse(dockerfile: string, ignored: string[], work: string): Promise<Stage[]> {
  const stages: Stage[] = [];
  const current = (): Stage => {
    const stage = stages.at(-1);
    if (!stage) throw new Error("an instruction before FROM");
    return stage;
  };
  for (const { op, args } of instructions(dockerfile)) {
    if (op === "FROM") {
      const words = args.split(/\s+/).filter((word) => !word.startsWith("--platform="));
      const root = await mkdtemp(join(work, "stage-"));
      stages.push({
        image: words[0] ?? "",
        ...(words[1]?.toUpperCase() === "AS" && words[2] ? { name: words[2] } : {}),
        root,
        workdir: "/app",
        env: {},
        volumes: [],
      });
    } else if (op === "WORKDIR") {
      current().workdir = args;
      await mkdir(inStage(current(), args), { recursive: true });
    } else if (op === "ENV") {
      for (const pair of args.split(/\s+/)) {
        const [name, value] = pair.split("=", 2);
        if (name && value !== undefined) current().env[name] = value;
      }
    } else if (op === "COPY") {
      const words = args.split(/\s+/);
      const from = words.find((word) => word.startsWith("--from="))?.slice("--from=".length);
      const paths = words.filter((word) => !word.startsWith("--"));
      const dest = paths.pop() ?? "";
      const source = from === undefined ? undefined : stages.find((stage) => stage.name === from);
      if (from !== undefined && !source) throw new Error(`COPY --from=${from}: no such stage`);
      for (const path of paths) {
        let src: string;
        if (source) {
          src = inStage(source, path);
        } else {
          const top = path.split("/")[0] ?? path;
          expect(ignored, `COPY ${path}: .dockerignore leaves it out of the build context`).not.toContain(
            top,
          );
          src = resolve(path);
        }
        const into = dest.endsWith("/") || paths.length > 1;
        const target = into ? join(inStage(current(), dest), basename(path)) : inStage(current(), dest);
        await mkdir(dirname(target), { recursive: true });
        await cp(src, target, { recursive: true });
      }
    } else if (op === "RUN") {
      const stage = current();
      const cwd = inStage(stage, stage.workdir);
      if (/^npm ci\b/.test(args) && stage.name) {
        await symlink(resolve("node_modules"), join(cwd, "node_modules"));
        continue;
      }
      await exec("sh", ["-c", args], { cwd, env: { ...process.env, PATH: PATH_WITH_NODE_24, ...stage.env } });
    } else if (op === "USER") {
      current().user = args;
    } else if (op === "VOLUME") {
      current().volumes.push(...(JSON.parse(args) as string[]));
    } else if (op === "HEALTHCHECK") {
      current().healthcheck = JSON.parse(args.slice(args.indexOf("CMD ") + 4)) as string[];
    } else if (op === "CMD") {
      current().cmd = JSON.parse(args) as string[];
    } else if (op !== "EXPOSE" && op !== "LABEL") {
      throw new Error(`the rehearsal does not know ${op}; teach test/release/dockerfile.test.ts`);
    }
  }
  return stages;
}

let work: string;
let image: Stage;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "runner-config-dockerfile-"));
  const ignored = (await readFile(".dockerignore", "utf8")).split("\n").map((line) => line.trim());
  const stages = await rehearse(await readFile("Dockerfile", "utf8"), ignored, work);
  image = stages.at(-1) as Stage;
}, 180_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe("the Dockerfile, rehearsed", () => {
  it("runs on the Node the checkout pins, as a user who is not root, from a bundle alone", async () => {
    expect(image.image).toMatch(new RegExp(`^node:${process.versions.node.split(".")[0]}-`));
    // The node user of the official images, by number (Kubernetes' runAsNonRoot needs a number).
    expect(image.user).toBe("1000:1000");
    expect(image.cmd).toEqual(["node", "dist/bot.mjs"]);
    expect(image.volumes).toEqual(["/app/data"]);
    // No node_modules: the bundle carries its dependencies.
    expect((await readdir(image.root)).sort()).toEqual(["data", "dist"]);
    expect((await readdir(join(image.root, "dist", "migrations"))).sort()).toEqual(["postgres", "sqlite"]);
  }, 120_000);

  it("starts the bot with the image's command and environment; /healthz and the HEALTHCHECK pass", async () => {
    const [command, ...args] = image.cmd ?? [];
    expect(command).toBe("node");
    let healthcheck = { code: -1, output: "" };
    const { PORT: _port, ...imageEnv } = image.env;
    const bot = await runBuiltBot(
      { command: process.execPath, args, cwd: inStage(image, image.workdir) },
      PATH_WITH_NODE_24,
      // The image's default store, in its data volume.
      { ...imageEnv, DATABASE_URL: "" },
      async (running) => {
        const [check, ...checkArgs] = image.healthcheck ?? [];
        expect(check).toBe("node");
        const port = new URL(running.url).port;
        const result = await exec(process.execPath, checkArgs, {
          env: { PATH: PATH_WITH_NODE_24, PORT: port },
        })
          .then(() => ({ code: 0, output: "" }))
          .catch((error: { code: number; stderr: string }) => ({ code: error.code, output: error.stderr }));
        healthcheck = result;
      },
    );
    expect(bot.health, bot.stderr).toEqual({ status: 200, body: expect.objectContaining({ ok: true }) });
    expect(healthcheck).toEqual({ code: 0, output: "" });
    expect(bot.exitCode).toBe(0);
    expect(bot.stdout).toContain('"store":"sqlite:./data/bot.sqlite"');
    expect(bot.stdout).toContain(`"migrationsApplied":[${MIGRATIONS.join(",")}]`);
    expect(existsSync(join(image.root, "data", "bot.sqlite"))).toBe(true);
  }, 120_000);
});
