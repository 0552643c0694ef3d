/**
 * One naming rule for secret variables, the one export writes: `OAUTH_SECRET_<HOST>`,
 * `HOST_TOKEN_<HOST>_<service account>`, `LLM_API_KEY_<HOST>` and `LLM_HEADER_<NAME>_<HOST>` (with `_<runner>` where runners share a host, `_REFRESH` for a
 * refresh token added by hand). No documented name starts with `GITHUB_`: GitHub refuses secrets with
 * that prefix. And the example workflows pass every variable the example file references, under the
 * same name, so a file exported today plans in CI with the workflows as shown.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const RULE = /^(OAUTH_SECRET|HOST_TOKEN|LLM_API_KEY|LLM_HEADER)(_[A-Z0-9]+)+$/;
/**
 * Words that stand for any variable in prose, the hostile names docs/security.md says are refused,
 * and the product's own credentials, which the docs show as refused in a file (`${GITPOD_API_KEY}`).
 */
const NOT_VARIABLES = new Set([
  "ENV_VAR",
  "VAR",
  "VARIABLE",
  "__proto__",
  "constructor",
  "GITPOD_API_KEY",
  "ONA_API_KEY",
  "GITHUB_TOKEN",
  "GH_TOKEN",
]);

function filesUnder(dir: string, extensions: readonly string[]): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && extensions.some((ext) => entry.name.endsWith(ext)))
    .map((entry) => join(entry.parentPath, entry.name));
}

const DOCUMENTED = [
  "README.md",
  "action.yml",
  ...filesUnder("docs", [".md"]),
  ...filesUnder("examples", [".yaml", ".yml", ".md"]),
];

function references(text: string): string[] {
  return [...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((match) => match[1] ?? "");
}

describe("secret variable names in the docs and examples", () => {
  it("follow export's rule wherever a file references one", () => {
    const offending = DOCUMENTED.flatMap((file) =>
      references(readFileSync(file, "utf8"))
        .filter((name) => !NOT_VARIABLES.has(name) && !RULE.test(name))
        .map((name) => `${file}: \${${name}}`),
    );
    expect(offending).toEqual([]);
  });

  it("never name a secret with GitHub's reserved GITHUB_ prefix (other than the token GitHub provides)", () => {
    const offending = DOCUMENTED.flatMap((file) =>
      [...readFileSync(file, "utf8").matchAll(/secrets\.([A-Za-z0-9_]+)/g)]
        .map((match) => match[1] ?? "")
        .filter((name) => /^GITHUB_/i.test(name) && name !== "GITHUB_TOKEN")
        .map((name) => `${file}: secrets.${name}`),
    );
    expect(offending).toEqual([]);
  });

  it("are passed by every example workflow that runs the action, under the same secret's name", () => {
    const needed = references(readFileSync("examples/runner-config.yaml", "utf8"));
    expect(needed.length).toBeGreaterThan(0);
    const workflows = filesUnder("examples/workflows", [".yml", ".yaml"]);
    expect(workflows.length).toBe(3);
    for (const file of workflows) {
      type Step = { uses?: string; env?: Record<string, string> };
      const workflow = parse(readFileSync(file, "utf8")) as { jobs: Record<string, { steps: Step[] }> };
      const steps = Object.values(workflow.jobs)
        .flatMap((job) => job.steps)
        .filter((step) => step.uses?.startsWith("gitpod-runner-config/gitpod-runner-config@"));
      expect(steps.length, file).toBeGreaterThan(0);
      for (const step of steps) {
        for (const variable of needed) {
          expect(step.env?.[variable], `${file} passes ${variable}`).toBe(`\${{ secrets.${variable} }}`);
        }
      }
    }
  });
});
