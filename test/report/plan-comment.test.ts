/**
 * The plan comment's pieces, pure: the destructive banner names what is deleted, text from the file
 * or the API cannot become markup, and the comment never exceeds its budget, however small.
 */
import { describe, expect, it } from "vitest";
import { formatPlanComment } from "../../action/report/plan-comment.js";
import type { Operation, Plan } from "../../shared/sync/plan-types.js";

function plan(operations: Operation[], runnerName = "aws-eu", allowDestructive = false): Plan {
  return {
    version: 1,
    file: "runners.yaml",
    options: { prune: true, allowDestructive, rotateSecrets: false },
    runners: [{ runnerId: "r-1", runnerName, operations }],
  };
}

const create = (key: string): Operation => ({
  kind: "environmentClass",
  action: "create",
  runnerId: "r-1",
  key,
  changes: [{ field: "description", to: `about ${key}` }],
});

const deletion: Operation = {
  kind: "scmIntegration",
  action: "delete",
  runnerId: "r-1",
  key: "github@github.com",
  currentId: "i-1",
  changes: [],
  destructive: { reason: "the integration is deleted", deletes: "3 PAT host tokens of github.com" },
};

describe("formatPlanComment", () => {
  it("opens with a destructive banner that names what is deleted, and says an apply refuses it", () => {
    const body = formatPlanComment(plan([create("Large"), deletion]), { config: "runners.yaml" });
    const banner = body.slice(0, body.indexOf("<details>"));
    expect(banner).toContain("[!CAUTION]");
    expect(banner).toContain("**Destructive:** 1 operation(s)");
    const named = banner.split("\n").find((line) => line.startsWith("> - "));
    expect(named).toContain("SCM integration github@github.com on aws-eu:");
    expect(named).toContain("3 PAT host tokens of github.com");
    expect(banner).toContain("An apply refuses them");
    expect(body).toContain("| delete | SCM integration |");
  });

  it("prints names from the file and the API as text, never as markup", () => {
    const hostile = "<img src=x onerror=alert(1)> | **bold** [link](https://evil.example)";
    const body = formatPlanComment(plan([create(hostile)], `</summary><script>x</script>`), {
      config: "a|b.yaml",
    });
    // Changes are code spans, as in the job summary: GitHub shows everything in them literally.
    expect(body).toContain(
      '`description: "about <img src=x onerror=alert(1)> \\| **bold** [link](https://evil.example)"`',
    );
    const outsideCode = body.replace(/`[^`\n]*`/g, "");
    expect(outsideCode).not.toContain("<img");
    expect(outsideCode).not.toContain("<script>");
    expect(outsideCode).not.toContain("</summary><");
    expect(outsideCode).not.toContain("[link](");
    expect(body).toContain("&lt;img src=x onerror=alert(1)&gt; \\| \\*\\*bold\\*\\*");
    expect(body).toContain("a\\|b.yaml");
  });

  it("keeps within any budget and counts what it left out", () => {
    const many = plan(Array.from({ length: 500 }, (_, i) => create(`class-${i}`)));
    for (const budget of [2_000, 10_000, 64_000]) {
      const body = formatPlanComment(
        many,
        { config: "runners.yaml", runUrl: "https://github.example/run/1" },
        budget,
      );
      expect(body.length).toBeLessThanOrEqual(budget);
      const rows = body.split("\n").filter((line) => line.startsWith("| create |")).length;
      const rest = Number(body.match(/\*\*(\d+) more operations/)?.[1] ?? 0);
      expect(rows + rest).toBe(500);
    }
  });

  it("says no changes in one line", () => {
    const body = formatPlanComment(plan([{ ...create("Large"), action: "no-op", changes: [] }]), {
      config: "runners.yaml",
      commitSha: "abcdef1234567890",
    });
    expect(body.trim().split("\n")).toHaveLength(1);
    expect(body).toContain("no changes");
    expect(body).toContain("`abcdef123456`");
  });
});
