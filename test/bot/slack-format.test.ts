import { describe, expect, it } from "vitest";
import type { ScmIntegration } from "../../shared/api/resources/scm-integrations.wire.js";
import type { RotationResult } from "../../shared/rotation/types.js";
import { describeScmValidation } from "../../shared/rotation/validation-in-words.js";
import { formatAuditRecord } from "../../shared/slack/audit-record.js";
import { type MessageBlock, SLACK_LIMITS } from "../../shared/slack/blocks.js";
import { formatError } from "../../shared/slack/errors.js";
import { formatIntegrationList } from "../../shared/slack/integration-list.js";
import { escapeMrkdwn, splitText } from "../../shared/slack/mrkdwn.js";
import { formatRotationReport, formatRotationResult } from "../../shared/slack/rotation-result.js";
import { formatValidationResult } from "../../shared/slack/validation-result.js";

const RUNNER = "d2c94c27-3b76-4a42-b88c-95a85e392c68";
const NOW = new Date("2025-06-01T00:00:00Z");

function integration(index: number, overrides: Partial<ScmIntegration> = {}): ScmIntegration {
  return {
    id: `00000000-0000-4000-8000-${String(index).padStart(12, "0")}`,
    runnerId: RUNNER,
    scmId: "github",
    host: `git${index}.example.com`,
    oauth: { clientId: `client-${index}`, encryptedClientSecret: "Y2lwaGVy" },
    pat: true,
    ...overrides,
  };
}

function textOf(blocks: readonly MessageBlock[]): string {
  return blocks
    .map((block) => {
      if (block.type === "section" || block.type === "header") return block.text.text;
      if (block.type === "context") return block.elements.map((element) => element.text).join(" ");
      return "";
    })
    .join("\n");
}

describe("mrkdwn", () => {
  it("escapes &, < and > so user text cannot mention or link", () => {
    expect(escapeMrkdwn("<!channel> & <https://evil|click>")).toBe(
      "&lt;!channel&gt; &amp; &lt;https://evil|click&gt;",
    );
  });

  it("splits long text at line ends without losing a character", () => {
    const lines = Array.from({ length: 400 }, (_, index) => `line ${index} ${"x".repeat(20)}`);
    const text = lines.join("\n");
    const pieces = splitText(text, 3000);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.every((piece) => piece.length <= 3000)).toBe(true);
    expect(pieces.join("\n")).toBe(text);
    const long = "y".repeat(7000);
    expect(splitText(long, 3000).join("")).toBe(long);
  });
});

describe("formatIntegrationList", () => {
  it("shows every field a phone reader needs, and never a secret", () => {
    const [message] = formatIntegrationList(
      [
        {
          integration: integration(1, { virtualDirectory: "/tfs" }),
          tokens: { count: 3, expired: 1, nearestExpiry: "2025-06-13T00:00:00Z" },
        },
      ],
      { runnerLabels: { [RUNNER]: "aws-eu" }, now: NOW },
    );
    const text = textOf(message?.blocks ?? []);
    expect(text).toContain("*git1.example.com* · github");
    expect(text).toContain("OAuth client `client-1` · secret stored · PAT on");
    expect(text).toContain("Host tokens: 3 · next expiry 2025-06-13 (in 12 days) · 1 expired");
    expect(text).toContain("Virtual directory `/tfs`");
    expect(text).toContain(`aws-eu (${RUNNER})`);
    expect(text).not.toContain("Y2lwaGVy");
  });

  it("splits 230 integrations into messages within Slack's limits, none cut", () => {
    const items = Array.from({ length: 230 }, (_, index) => ({
      integration: integration(index),
      tokens: { count: 0, expired: 0 },
    }));
    const messages = formatIntegrationList(items, { now: NOW });
    expect(messages.length).toBe(5);
    for (const [index, message] of messages.entries()) {
      expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
      for (const block of message.blocks) {
        if (block.type === "section")
          expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      }
      expect(message.text).toContain(`part ${index + 1} of 5`);
    }
    const all = messages.map((message) => textOf(message.blocks)).join("\n");
    for (const item of items) expect(all).toContain(item.integration.id);
  });

  it("escapes hosts that carry markup", () => {
    const [message] = formatIntegrationList(
      [{ integration: integration(1, { host: "<!here>.example.com" }) }],
      {
        now: NOW,
      },
    );
    expect(textOf(message?.blocks ?? [])).toContain("&lt;!here&gt;.example.com");
  });

  it("says so when nothing matches", () => {
    const [message] = formatIntegrationList([], { filter: "gitlab.com" });
    expect(message?.text).toBe("No SCM integrations for gitlab.com.");
  });
});

describe("validation and rotation results", () => {
  it("lists each validation problem in words", () => {
    const validation = describeScmValidation({
      oauthError: "bad client secret",
      hostError: "host unreachable",
    });
    const message = formatValidationResult({ integration: integration(1), validation });
    const text = textOf(message.blocks);
    expect(text).toContain("*not valid*");
    expect(text).toContain("*OAuth client id and secret*: bad client secret");
    expect(text).toContain("*Host*: host unreachable");
  });

  it("shouts when the update was not verified", () => {
    const result: RotationResult = {
      integrationId: integration(1).id,
      runnerId: RUNNER,
      host: "github.com",
      scmId: "github",
      clientId: "client-1",
      outcome: "unverified",
      changed: true,
      steps: [
        { step: "read", status: "ok", detail: "read", durationMs: 1 },
        { step: "test", status: "ok", detail: "valid", durationMs: 1 },
        { step: "update", status: "ok", detail: "stored", durationMs: 1 },
        { step: "verify", status: "failed", detail: "the stored secret does not validate", durationMs: 1 },
      ],
      summary: "UPDATED BUT NOT VERIFIED: the stored secret does not validate.",
      startedAt: NOW.toISOString(),
      finishedAt: NOW.toISOString(),
      waitedMs: 0,
    };
    const message = formatRotationResult(result, { actorUserId: "U0ADMIN" });
    const text = textOf(message.blocks);
    expect(text).toContain(":rotating_light: *UPDATED BUT NOT VERIFIED*");
    expect(text).toContain(
      ":x: 4. Read back and validate the stored secret: the stored secret does not validate",
    );
    expect(text).toContain("by <@U0ADMIN>");
    expect(message.text).toBe("UPDATED BUT NOT VERIFIED: github.com (github)");
  });

  it("reports many rotations for a notification, linking the run, within Slack's limits", () => {
    const results: RotationResult[] = Array.from({ length: 30 }, (_, index) => ({
      integrationId: integration(index).id,
      runnerId: RUNNER,
      host: `git${index}.example.com`,
      scmId: "github",
      outcome: index === 0 ? "rejected" : "rotated",
      changed: index !== 0,
      steps: [
        { step: "read", status: "ok", detail: "read", durationMs: 1 },
        {
          step: "test",
          status: index === 0 ? "failed" : "ok",
          detail: "OAuth client id and secret: bad",
          durationMs: 1,
        },
        { step: "update", status: index === 0 ? "skipped" : "ok", detail: "stored", durationMs: 1 },
        { step: "verify", status: index === 0 ? "skipped" : "ok", detail: "validates", durationMs: 1 },
      ],
      summary: index === 0 ? "The new credentials were refused." : "Rotated.",
      startedAt: NOW.toISOString(),
      finishedAt: NOW.toISOString(),
      waitedMs: 0,
    }));
    const messages = formatRotationReport(results, {
      title: "Scheduled rotation: 29 rotated, 1 refused",
      link: { url: "https://github.com/acme/infra/actions/runs/42", text: "workflow run" },
    });
    expect(messages.length).toBe(2);
    for (const message of messages)
      expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
    const all = messages.map((message) => textOf(message.blocks)).join("\n");
    for (const result of results) expect(all).toContain(result.integrationId);
    expect(all).toContain("Test the new credentials: OAuth client id and secret: bad");
    expect(all).toContain("<https://github.com/acme/infra/actions/runs/42|workflow run>");
  });

  it("formats an audit record with each step", () => {
    const message = formatAuditRecord({
      action: "rotate",
      at: NOW.toISOString(),
      actor: "U0ADMIN",
      source: "slack",
      outcome: "rejected",
      host: "github.com",
      scmId: "github",
      steps: [
        { step: "read", status: "ok", detail: "read" },
        { step: "test", status: "failed", detail: "OAuth client id and secret: invalid" },
        { step: "update", status: "skipped", detail: "did not run" },
      ],
    });
    const text = textOf(message.blocks);
    expect(text).toContain("*rotate* by <@U0ADMIN>: *rejected* · github.com (github)");
    expect(text).toContain("• test: failed (OAuth client id and secret: invalid)");
    expect(text).toContain("• update: skipped");
  });

  it("turns API errors into friendly words", () => {
    const timeout = Object.assign(new Error("ListSCMIntegrations timed out"), {
      name: "GitpodApiError",
      code: "deadline_exceeded",
      rpc: "ListSCMIntegrations",
    });
    expect(formatError("list the SCM integrations", timeout).text).toBe(
      "Could not list the SCM integrations: The Gitpod API did not answer in time: try again in a minute (ListSCMIntegrations).",
    );
    expect(formatError("validate", new TypeError("x is undefined")).text).toContain(
      "Something unexpected went wrong",
    );
  });
});
