/**
 * The README is what a new user reads first: short, starting with the adoption path, naming the
 * operations and statuses exactly as the code spells them, with links that resolve and one action name.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";

const readme = readFileSync("README.md", "utf8");

/** The string literals of `export type NAME = "a" | "b" …;` in a source file. */
function unionOf(file: string, name: string): string[] {
  const source = readFileSync(file, "utf8");
  const match = source.match(new RegExp(`export type ${name} =([^;]+);`));
  if (!match?.[1]) throw new Error(`${file} declares no type ${name}`);
  return [...match[1].matchAll(/"([^"]+)"/g)].map((m) => m[1] ?? "");
}

/** The backticked words of the README sentence that starts with `lead`, up to its full stop. */
function backtickedAfter(lead: string, until: string): string[] {
  const start = readme.indexOf(lead);
  expect(start, `README has no "${lead}"`).toBeGreaterThanOrEqual(0);
  const end = readme.indexOf(until, start + lead.length);
  const sentence = readme.slice(start, end < 0 ? undefined : end);
  return [...sentence.matchAll(/`([a-z-]+)`/g)].map((m) => m[1] ?? "");
}

function markdownFiles(): string[] {
  const docs = readdirSync("docs")
    .filter((f) => f.endsWith(".md"))
    .map((f) => join("docs", f));
  return ["README.md", "bench/README.md", ...docs];
}

describe("README.md", () => {
  it("stays under 20 KB", () => {
    expect(Buffer.byteLength(readme)).toBeLessThan(20 * 1024);
  });

  it("opens with what it is and the three adoption steps, before anything else", () => {
    const headings = [...readme.matchAll(/^##+ (.+)$/gm)].map((m) => m[1]);
    expect(headings[0]).toBe("Adopt it in three steps");
    const steps = [
      "**1. Export your runners**",
      "**2. Write the workflows and commit them with the file**",
      "**3. Add the secrets**",
    ];
    const positions = steps.map((s) => readme.indexOf(s));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(readme).toContain("npx @gitpod-runner-config/cli export");
    expect(readme).toContain("npx @gitpod-runner-config/cli init");
  });

  it("gives the two developer commands, and they are scripts that exist", () => {
    expect(readme).toContain("npm ci && npm run demo");
    expect(readme).toContain("npm test");
    const { scripts } = JSON.parse(readFileSync("package.json", "utf8")) as {
      scripts: Record<string, string>;
    };
    expect(scripts.demo).toBeTruthy();
    expect(scripts.test).toBeTruthy();
  });

  it("names the plan operations and the rotation and audit statuses exactly as the code does", () => {
    expect(backtickedAfter("What a plan can do to an item", ". Operations").sort()).toEqual(
      unionOf("shared/sync/plan-base.ts", "Action").sort(),
    );
    expect(backtickedAfter("A scheduled rotation reports each integration as", ";").sort()).toEqual(
      unionOf("shared/credential-upkeep/types.ts", "ScheduledRotationStatus").sort(),
    );
    expect(backtickedAfter("an audit as", ".\n").sort()).toEqual(
      unionOf("shared/credential-upkeep/types.ts", "HealthStatus").sort(),
    );
  });
});

describe("the documentation", () => {
  it("has relative links that all resolve to files in the repository", () => {
    const broken: string[] = [];
    for (const file of markdownFiles()) {
      const text = readFileSync(file, "utf8").replace(/```[\s\S]*?```/g, "");
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (!target || /^(https?:|mailto:|#)/.test(target)) continue;
        const path = join(dirname(file), target.split("#")[0] ?? "");
        if (!existsSync(path)) broken.push(`${file}: ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("calls the action by one name everywhere, the one the README gives, never a placeholder", () => {
    const name = readme.match(/Use the action as \*\*`([^`@]+)@v1`\*\*/)?.[1];
    expect(name).toBe("gitpod-runner-config/gitpod-runner-config");
    const workflows = readdirSync("examples/workflows").map((f) => join("examples/workflows", f));
    const uses: string[] = [];
    for (const file of [...markdownFiles(), ...workflows, "action.yml"]) {
      const text = readFileSync(file, "utf8");
      expect(text, file).not.toContain("your-org");
      for (const [, used] of text.matchAll(/uses:\s*([\w.-]+\/gitpod-runner-config)@/g))
        uses.push(`${file}: ${used}`);
    }
    expect(uses.length).toBeGreaterThan(4);
    expect(uses.filter((u) => !u.endsWith(`: ${name}`))).toEqual([]);
  });

  it("moved the reference material out of the README", () => {
    for (const file of [
      "docs/action.md",
      "docs/cli.md",
      "docs/client.md",
      "docs/bot.md",
      "docs/emulator.md",
      "bench/README.md",
    ]) {
      expect(statSync(file).size, file).toBeGreaterThan(1000);
    }
  });
});
