/**
 * The workflows `init` writes are the examples in examples/workflows/, bundled as text: each has one
 * `env:` line for the example's secret, which becomes one line per variable the runner-config file
 * references (none: no `env:` block). Pure.
 */

/** The example's secret line, as every example workflow has it. */
const EXAMPLE_SECRET_LINE = /^( +)OAUTH_SECRET_GITHUB_COM: \$\{\{ secrets\.OAUTH_SECRET_GITHUB_COM \}\}$/;
const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A bundled example that does not fit the template rule: a bug of this package, not of the user. */
class TemplateError extends Error {}

/** The workflow for a file that references `variables`, each passed from the repository secret of its name. */
export function renderWorkflow(template: string, variables: readonly string[], source: string): string {
  const lines: string[] = [`# Written by gitpod-runner-config init from ${source}.`];
  let secretLines = 0;
  for (const line of template.split("\n")) {
    const secret = EXAMPLE_SECRET_LINE.exec(line);
    if (!secret) {
      lines.push(line);
      continue;
    }
    secretLines++;
    if (variables.length === 0) {
      if (lines.at(-1)?.trim() === "env:") lines.pop();
      continue;
    }
    for (const variable of variables) {
      if (!VARIABLE.test(variable)) throw new TemplateError(`"${variable}" is not a variable name`);
      lines.push(`${secret[1]}${variable}: \${{ secrets.${variable} }}`);
    }
  }
  // An example edited without its secret line would give workflows without their secrets.
  if (secretLines === 0) throw new TemplateError(`${source} has no OAUTH_SECRET_GITHUB_COM env line`);
  return lines.join("\n");
}

/** The `${VAR}` references among a parsed file's string values, in order, each once. */
export function referencedVariables(value: unknown, found: string[] = []): string[] {
  if (typeof value === "string") {
    const name = /^\s*\$\{([A-Za-z_][A-Za-z0-9_]*)\}\s*$/.exec(value)?.[1];
    if (name && !found.includes(name)) found.push(name);
  } else if (Array.isArray(value)) {
    for (const item of value) referencedVariables(item, found);
  } else if (value !== null && typeof value === "object") {
    for (const item of Object.values(value)) referencedVariables(item, found);
  }
  return found;
}
