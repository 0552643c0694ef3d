/**
 * Each report (plan, apply, scheduled rotation, credential health check) rendered in every format it
 * has (job log text, job summary markdown, the plan's pull-request comment, Slack Block Kit): the same facts and the same words must
 * appear in each, so the renderers only lay the model out. Escaping differs per format, so each
 * rendering is read back to plain text before the comparison.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { formatPlanComment } from "../../action/report/plan-comment.js";
import {
  healthCheckMarkdown,
  healthCheckText,
  rotationMarkdown,
  rotationText,
  runHealthCheck,
  runScheduledRotation,
} from "../../shared/credential-upkeep/index.js";
import { HEALTH_STATUS_WORDS, ROTATION_STATUS_WORDS } from "../../shared/credential-upkeep/status-words.js";
import { healthCheckTitle, rotationTitle } from "../../shared/credential-upkeep/titles.js";
import { kindLabel } from "../../shared/kinds/registry.js";
import { formatApplyReport } from "../../shared/slack/apply-report.js";
import type { MessageBlock, SlackMessage } from "../../shared/slack/blocks.js";
import { formatHealthCheckReport } from "../../shared/slack/health-check-report.js";
import { formatScheduledRotationReport } from "../../shared/slack/scheduled-rotation-report.js";
import type { ApplyResult } from "../../shared/sync/apply.js";
import { OUTCOME_SIGNS, summarizeApply } from "../../shared/sync/apply-summary.js";
import { formatApplyMarkdown, formatApplyText } from "../../shared/sync/format.js";
import { formatPlanMarkdown } from "../../shared/sync/plan-markdown.js";
import { describePlan } from "../../shared/sync/plan-report.js";
import { formatPlanText } from "../../shared/sync/plan-text.js";
import type { Operation, Plan } from "../../shared/sync/plan-types.js";
import {
  NEW_GITHUB_SECRET,
  NEW_GITLAB_SECRET,
  type Seeded,
  seeded,
  WRONG_SECRET,
} from "../credential-upkeep/setup.js";
import { GITLAB_OAUTH_CLIENT_ID, RUNNER_EU_ID } from "../emulator/index.js";

/** Markdown or mrkdwn read back as the words a reader sees. */
function plain(text: string): string {
  // Markup (* and `) goes, a backslash-escaped character stays as itself; then the entities.
  return text
    .replace(/\\(.)|[*`]/g, (_, escaped: string | undefined) => escaped ?? "")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&amp;", "&");
}

/** Slack mrkdwn read back: entities decoded, code-span backticks gone (bold markers do no harm). */
function slackPlain(text: string): string {
  return text
    .replaceAll("`", "")
    .replaceAll("∗", "*")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");
}

function slackText(messages: SlackMessage[]): string {
  return slackPlain(
    messages
      .flatMap((message) => [
        message.text,
        ...message.blocks.flatMap((block: MessageBlock) => {
          if (block.type === "section" || block.type === "header") return [block.text.text];
          if (block.type === "context") return block.elements.map((element) => element.text);
          return [];
        }),
      ])
      .join("\n"),
  );
}

function expectInEvery(renderings: Record<string, string>, words: string[]): void {
  for (const [format, text] of Object.entries(renderings)) {
    for (const word of words) expect(text, `${format} lacks ${JSON.stringify(word)}`).toContain(word);
  }
}

const create: Operation = {
  kind: "environmentClass",
  action: "create",
  runnerId: RUNNER_EU_ID,
  key: "Large_*x*",
  changes: [{ field: "configuration.cpu", to: "8" }],
  desired: { displayName: "Large_*x*", enabled: true, configuration: [{ key: "cpu", value: "8" }] },
};
const remove: Operation = {
  kind: "scmIntegration",
  action: "delete",
  runnerId: RUNNER_EU_ID,
  key: "gitlab@gitlab.com",
  currentId: "i-1",
  changes: [{ field: "integration", from: "gitlab gitlab.com", to: "(deleted)" }],
  destructive: { reason: "deletes the integration", deletes: "1 user's token for gitlab.com stops working" },
};

describe("the apply report in every format", () => {
  const result: ApplyResult = {
    ok: false,
    outcomes: [
      { operation: create, status: "done" },
      { operation: remove, status: "unknown", error: "no answer <b>in time</b>" },
    ],
  };

  it("says the same headline, items, statuses and errors as text, markdown and Block Kit", () => {
    const summary = summarizeApply(result);
    const renderings = {
      text: formatApplyText(result),
      markdown: plain(formatApplyMarkdown(result)),
      slack: slackText(formatApplyReport(result)),
    };
    expectInEvery({ text: renderings.text, markdown: renderings.markdown }, [summary.headline]);
    expect(renderings.slack).toContain(summary.title);
    expectInEvery(renderings, [
      ...result.outcomes.flatMap(({ operation }) => [operation.action, kindLabel(operation), operation.key]),
      "no answer <b>in time</b>",
    ]);
    expect(renderings.markdown).toContain(`${OUTCOME_SIGNS.done.emoji} done`);
    expect(renderings.markdown).toContain(`${OUTCOME_SIGNS.unknown.emoji} unknown`);
    expect(renderings.slack).toContain(OUTCOME_SIGNS.unknown.slackEmoji);
  });

  it("says nothing was applied in the same words everywhere", () => {
    const empty: ApplyResult = { ok: true, outcomes: [] };
    const { headline } = summarizeApply(empty);
    expectInEvery(
      {
        text: formatApplyText(empty),
        markdown: plain(formatApplyMarkdown(empty)),
        slack: slackText(formatApplyReport(empty)),
      },
      [headline],
    );
  });
});

describe("the plan report in every format", () => {
  const keep: Operation = {
    kind: "environmentClass",
    action: "no-op",
    runnerId: RUNNER_EU_ID,
    key: "Small",
    currentId: "c-1",
    changes: [],
    notes: ['description "old <i>words</i>" is kept: the file has none'],
  };
  const plan: Plan = {
    version: 1,
    file: "runners.yaml",
    options: { prune: true, allowDestructive: false, rotateSecrets: false },
    runners: [
      {
        runnerId: RUNNER_EU_ID,
        runnerName: "aws-eu",
        operations: [create, remove, keep],
        notes: ["runner aws-eu reported no configuration schema"],
      },
      { runnerId: "r-quiet", operations: [], notes: ["runner r-quiet could not be read: *offline*"] },
    ],
  };

  it("shows the same title, summary line, items, changes and notes as text, job summary and PR comment", () => {
    const report = describePlan(plan);
    const renderings = {
      text: formatPlanText(plan),
      markdown: plain(formatPlanMarkdown(plan)),
      comment: plain(formatPlanComment(plan, { config: "runners.yaml" })),
    };
    expectInEvery(renderings, [
      report.summary,
      "aws-eu",
      "Large_*x*",
      "gitlab@gitlab.com",
      kindLabel(create),
      kindLabel(remove),
      "configuration.cpu: 8",
      'integration: "gitlab gitlab.com" -> "(deleted)"',
      "deletes the integration; 1 user's token for gitlab.com stops working",
      "runner aws-eu reported no configuration schema",
      'environment class Small: description "old <i>words</i>" is kept: the file has none',
      "runner r-quiet could not be read: *offline*",
    ]);
    expectInEvery({ markdown: renderings.markdown, comment: renderings.comment }, [report.title]);
    expect(renderings.text).toContain("[REFUSED: destructive]");
    for (const markdown of [renderings.markdown, renderings.comment]) expect(markdown).toContain("refused ⚠️");
  });

  it("lays the comment out from the same table cells as the job summary", () => {
    const summary = formatPlanMarkdown(plan);
    const comment = formatPlanComment(plan, { config: "runners.yaml" });
    const rows = (markdown: string) =>
      markdown
        .split("\n")
        .filter(
          (line) =>
            /^\| (create|delete) /.test(line) || line.includes("| create |") || line.includes("| delete |"),
        )
        .map((line) => line.replace(/^\| aws-eu /, ""));
    expect(rows(comment)).toEqual(rows(summary));
    expect(rows(comment)).toHaveLength(2);
  });
});

describe("the scheduled reports in every format", () => {
  let s: Seeded;
  beforeEach(async () => {
    s = await seeded();
  });
  afterEach(async () => {
    await s.close();
  });

  it("rotation: the title, each integration, its runner, its status and its reason", async () => {
    const report = await runScheduledRotation(s.client, {
      integrations: s.integrations,
      env: { GH_OAUTH_SECRET: NEW_GITHUB_SECRET, GL_OAUTH_SECRET: WRONG_SECRET },
    });
    expect(report.items.map((item) => item.status).sort()).toEqual(["refused", "rotated"]);
    const renderings = {
      text: rotationText(report),
      markdown: plain(rotationMarkdown(report)),
      slack: slackText(formatScheduledRotationReport(report)),
    };
    expectInEvery(renderings, [rotationTitle(report)]);
    for (const item of report.items) {
      const words = ROTATION_STATUS_WORDS[item.status];
      expectInEvery(renderings, [item.host, item.scmId, item.runnerName ?? item.runnerId, item.reason]);
      expect(renderings.text).toContain(words.label);
      expect(renderings.markdown).toContain(`${words.emoji} ${words.label}`);
      expect(renderings.slack).toContain(words.slackEmoji);
    }
  });

  it("audit: the title, each integration, its runner and its status", async () => {
    s.emu.state.setOAuthAppSecrets("gitlab.com", GITLAB_OAUTH_CLIENT_ID, [NEW_GITLAB_SECRET]);
    const report = await runHealthCheck(s.client, { runners: s.runners, integrations: s.integrations });
    expect(new Set(report.integrations.map((item) => item.status))).toEqual(new Set(["healthy", "invalid"]));
    const renderings = {
      text: healthCheckText(report),
      markdown: plain(healthCheckMarkdown(report)),
      slack: slackText(formatHealthCheckReport(report)),
    };
    expectInEvery(renderings, [healthCheckTitle(report)]);
    for (const item of report.integrations) {
      const words = HEALTH_STATUS_WORDS[item.status];
      expectInEvery(renderings, [
        item.integration.host ?? "",
        item.integration.scmId ?? "",
        item.runnerName ?? item.integration.runnerId,
      ]);
      expect(renderings.text).toContain(words.label);
      expect(renderings.markdown).toContain(`${words.emoji} ${words.label}`);
      expect(renderings.slack).toContain(words.slackEmoji);
    }
  });
});
