/**
 * Plans that fit GitHub's limits, run through the bundled action as the runner runs it: a 3,000-object
 * plan keeps the PR comment under 65,536 characters, the job summary under 1 MiB and all outputs under
 * 1 MB, and the plan file holds the whole plan. Two config files on one pull request keep two sticky
 * comments that update independently.
 */
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Plan } from "../../shared/sync/plan-types.js";
import { type Emulator, RUNNER_EU_ID, RUNNER_US_ID, startEmulator } from "../emulator/index.js";
import { type FakeGitHub, startFakeGitHub } from "../fakes/github-api.js";
import { makeWorkspace, removeWorkspace, runOnPullRequest } from "../support/run-action.js";

const API_TOKEN = "limits-api-token-3e9d";
const GITHUB_TOKEN = "limits-github-token-51aa";
const HEAD_SHA = "0123456789abcdef0123456789abcdef01234567";

/** `perRunner` environment classes on each of the two fixture runners, every one a create. */
function bigConfig(perRunner: number, description: (i: number) => string): string {
  const lines = ["version: 1", "runners:"];
  for (const [name, id] of [
    ["aws-eu", RUNNER_EU_ID],
    ["aws-us", RUNNER_US_ID],
  ] as const) {
    lines.push(`  - id: ${id}`, `    name: ${name}`, "    environmentClasses:");
    for (let i = 0; i < perRunner; i++) {
      lines.push(
        `      - displayName: class-${i}`,
        `        description: ${description(i)}`,
        "        configuration:",
        "          instanceType: m6i.2xlarge",
        `          diskSize: ${20 + (i % 1000)}`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

function smallConfig(runnerId: string, description: string): string {
  return `version: 1
runners:
  - id: ${runnerId}
    environmentClasses:
      - displayName: Team class
        description: ${description}
        configuration:
          instanceType: m6i.large
`;
}

let emu: Emulator;
let github: FakeGitHub;
let workspace: string;

beforeAll(async () => {
  emu = await startEmulator({ token: API_TOKEN });
  github = await startFakeGitHub({ token: GITHUB_TOKEN });
  workspace = await makeWorkspace("version: 1\nrunners: []\n");
  await mkdir(join(workspace, "tmp"));
});
afterAll(async () => {
  await emu.close();
  await github.close();
  await removeWorkspace(workspace);
});

function plan(inputs: Record<string, string>) {
  return runOnPullRequest({
    workspace,
    github,
    pullRequest: { number: 7, head: { sha: HEAD_SHA } },
    repository: "acme/infra",
    api: { url: emu.url, token: API_TOKEN },
    inputs: {
      "github-token": GITHUB_TOKEN,
      mode: "plan",
      "comment-on-pr": "true",
      ...inputs,
    },
    env: {
      RUNNER_TEMP: join(workspace, "tmp"),
      GITHUB_SERVER_URL: "https://github.example",
      GITHUB_RUN_ID: "99",
      GITHUB_SHA: "ffffffffffffffffffffffffffffffffffffffff",
    },
  });
}

const thread = () => github.comments.get("acme/infra#7") ?? [];

describe("a 3,000-object plan through the bundled action", () => {
  it("fits the comment, the summary and the outputs, and the plan file holds the whole plan", async () => {
    const description = (i: number) => `Class ${i} for the platform team, ${"x".repeat(120)}`;
    await writeFile(join(workspace, "big.yaml"), bigConfig(1500, description));
    const result = await plan({ config: "big.yaml" });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);

    // The outputs file is what GitHub counts against the job's 1 MB.
    const outputBytes = Object.entries(result.outputs).reduce(
      (sum, [name, value]) => sum + Buffer.byteLength(name) + Buffer.byteLength(value),
      0,
    );
    expect(outputBytes).toBeLessThanOrEqual(1_000_000);
    expect(result.outputs.plan).toBeUndefined();
    expect(result.outputs.summary).toBe("Plan: 3000 to create; 0 unchanged.");

    const planFile = result.outputs["plan-file"] ?? "";
    expect(planFile.startsWith(join(workspace, "tmp"))).toBe(true);
    expect((await stat(planFile)).size).toBeGreaterThan(1_000_000);
    const whole = JSON.parse(await readFile(planFile, "utf8")) as Plan;
    const operations = whole.runners.flatMap((runner) => runner.operations);
    expect(operations).toHaveLength(3000);
    expect(new Set(operations.map((o) => `${o.runnerId}/${o.key}`)).size).toBe(3000);
    expect(operations.every((o) => o.action === "create")).toBe(true);

    expect(Buffer.byteLength(result.summary)).toBeLessThanOrEqual(1024 * 1024);
    expect(result.summary).toContain("class-1499");

    expect(thread()).toHaveLength(1);
    const body = thread()[0]?.body ?? "";
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body.length).toBeGreaterThan(40_000); // trimmed to fit, not emptied
    expect(body.startsWith("<!-- gitpod-runner-config:plan config=big.yaml -->\n")).toBe(true);
    expect(body).toContain("Plan: 3000 to create; 0 unchanged.");
    expect(body).toContain(`Planned at \`${HEAD_SHA.slice(0, 12)}\``);
    expect(body).toContain("<details><summary>aws-eu (");
    const shownRows = body.split("\n").filter((line) => line.startsWith("| create |")).length;
    const more = body.match(
      /\*\*(\d+) more operations: see the job summary\*\* of \[the workflow run\]\(([^)]+)\)/,
    );
    expect(more?.[2]).toBe("https://github.example/acme/infra/actions/runs/99");
    expect(shownRows + Number(more?.[1])).toBe(3000);
  }, 120_000);

  it("puts a plan that fits into the plan output too, equal to the plan file", async () => {
    await writeFile(
      join(workspace, "mid.yaml"),
      bigConfig(20, (i) => `Class ${i}`),
    );
    const result = await plan({ config: "mid.yaml", "comment-on-pr": "false" });
    expect(result.code).toBe(0);
    const fromFile = await readFile(result.outputs["plan-file"] ?? "", "utf8");
    expect(result.outputs.plan).toBe(fromFile);
    expect((JSON.parse(fromFile) as Plan).runners).toHaveLength(2);
  });
});

describe("two config files on one pull request", () => {
  it("keep two sticky comments that update independently", async () => {
    const before = thread().length;
    await writeFile(join(workspace, "team-a.yaml"), smallConfig(RUNNER_EU_ID, "team A v1"));
    await writeFile(join(workspace, "team-b.yaml"), smallConfig(RUNNER_US_ID, "team B v1"));
    expect((await plan({ config: "team-a.yaml" })).code).toBe(0);
    expect((await plan({ config: "team-b.yaml" })).code).toBe(0);
    const comments = () => thread().slice(before);
    expect(comments()).toHaveLength(2);
    const [a, b] = comments();
    expect(a?.body).toContain("team A v1");
    expect(b?.body).toContain("team B v1");
    const bBody = b?.body;

    await writeFile(join(workspace, "team-a.yaml"), smallConfig(RUNNER_EU_ID, "team A v2"));
    expect((await plan({ config: "team-a.yaml" })).code).toBe(0);
    expect(comments()).toHaveLength(2);
    expect(comments()[0]?.id).toBe(a?.id);
    expect(comments()[0]?.body).toContain("team A v2");
    expect(comments()[0]?.body).not.toContain("team A v1");
    expect(comments()[1]?.body).toBe(bBody);
  }, 60_000);

  it("says 'no changes' in one line when there are none", async () => {
    await writeFile(join(workspace, "empty.yaml"), `version: 1\nrunners:\n  - id: ${RUNNER_EU_ID}\n`);
    expect((await plan({ config: "empty.yaml" })).code).toBe(0);
    const mine = thread().find((c) =>
      c.body.startsWith("<!-- gitpod-runner-config:plan config=empty.yaml -->\n"),
    );
    const text = mine?.body.split("\n").slice(1).join("\n").trim() ?? "";
    expect(text.split("\n")).toHaveLength(1);
    expect(text).toContain("no changes");
  });
});

describe("annotations within the runner's limits", () => {
  it("shows 9 errors and one that counts the rest, and lists them all in the log", async () => {
    const bad = bigConfig(15, (i) => `Class ${i}`).replaceAll(
      "instanceType: m6i.2xlarge",
      "instanceType: [oops]",
    );
    await writeFile(join(workspace, "bad.yaml"), bad);
    const result = await plan({ config: "bad.yaml", "comment-on-pr": "false" });
    expect(result.code).toBe(1);
    const errors = result.stdout.split("\n").filter((line) => line.startsWith("::error "));
    expect(errors).toHaveLength(10);
    expect(errors[9]).toContain("21 more errors are not shown as annotations");
    expect(result.summary.split("\n").filter((line) => line.startsWith("| `bad.yaml:"))).toHaveLength(30);
  });
});
