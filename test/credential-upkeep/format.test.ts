import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { workflowRunLink, workflowRunUrl } from "../../action/report/workflow-run-link.js";
import {
  healthCheckMarkdown,
  rotationMarkdown,
  runHealthCheck,
  runScheduledRotation,
} from "../../shared/credential-upkeep/index.js";
import type { MessageBlock, SlackMessage } from "../../shared/slack/blocks.js";
import { formatHealthCheckReport } from "../../shared/slack/health-check-report.js";
import { formatScheduledRotationReport } from "../../shared/slack/scheduled-rotation-report.js";
import { GITLAB_OAUTH_CLIENT_ID, RUNNER_EU_ID, RUNNER_US_ID } from "../emulator/index.js";
import {
  expectNoCanary,
  NEW_GITHUB_SECRET,
  NEW_GITLAB_SECRET,
  type Seeded,
  seeded,
  WRONG_SECRET,
} from "./setup.js";

const RUN_ENV = {
  GITHUB_SERVER_URL: "https://github.com",
  GITHUB_REPOSITORY: "acme/platform",
  GITHUB_RUN_ID: "4242",
};
const RUN_URL = "https://github.com/acme/platform/actions/runs/4242";

function blockTexts(messages: SlackMessage[]): string[] {
  return messages.flatMap((message) =>
    message.blocks.flatMap((block: MessageBlock) => {
      if (block.type === "section" || block.type === "header") return [block.text.text];
      if (block.type === "context") return block.elements.map((element) => element.text);
      return [];
    }),
  );
}

let s: Seeded;

beforeEach(async () => {
  s = await seeded();
});

afterEach(async () => {
  await s.close();
});

/** The run link of RUN_ENV (which names a run, so there is one). */
function runLink(): { url: string; text: string } {
  const link = workflowRunLink(RUN_ENV);
  if (!link) throw new Error("RUN_ENV gives no workflow run link");
  return link;
}

describe("workflow run link", () => {
  it("is built from the GitHub variables, and absent without them", () => {
    expect(workflowRunUrl(RUN_ENV)).toBe(RUN_URL);
    expect(workflowRunUrl({ ...RUN_ENV, GITHUB_SERVER_URL: "https://ghe.example.com/" })).toBe(
      "https://ghe.example.com/acme/platform/actions/runs/4242",
    );
    expect(workflowRunLink({ GITHUB_REPOSITORY: "acme/platform" })).toBeUndefined();
  });
});

describe("rotation report formatting", () => {
  it("renders a partial failure as a job summary table and one Slack message linking to the run", async () => {
    const report = await runScheduledRotation(s.client, {
      integrations: s.integrations,
      env: { GH_OAUTH_SECRET: NEW_GITHUB_SECRET, GL_OAUTH_SECRET: WRONG_SECRET },
    });
    const markdown = rotationMarkdown(report, workflowRunLink(RUN_ENV));
    expect(markdown).toContain("## Scheduled rotation: 1 rotated, 1 refused");
    expect(markdown).toContain("| Runner | Integration | Result | Details |");
    expect(markdown).toMatch(
      /\| aws-eu \(d2c94c27-[^|]+\) \| github\.com \(github\) \| ✅ rotated \| Rotated: /,
    );
    expect(markdown).toMatch(
      /\| aws-us \([^|]+\) \| gitlab\.com \(gitlab\) \| ⛔ refused \| The new credentials were refused: /,
    );
    expect(markdown).toContain(`[View the workflow run](${RUN_URL})`);

    const messages = formatScheduledRotationReport(report, { link: runLink() });
    expect(messages).toHaveLength(1);
    const [message] = messages as [SlackMessage];
    expect(message.text).toBe("Scheduled rotation: 1 rotated, 1 refused");
    expect(message.blocks[0]).toEqual({
      type: "header",
      text: { type: "plain_text", text: "Scheduled rotation: 1 rotated, 1 refused", emoji: true },
    });
    const texts = blockTexts(messages);
    expect(texts).toContain(`<${RUN_URL}|View the workflow run>`);
    expect(texts.some((text) => text.startsWith(":white_check_mark: Rotated: *github.com (github)*"))).toBe(
      true,
    );
    expect(
      texts.some((text) => text.startsWith(":no_entry: Refused: the new credentials are not valid")),
    ).toBe(true);
    expect(texts).toContain(`Runner aws-eu (${RUNNER_EU_ID}) · ID \`${s.githubId}\``);
    expectNoCanary(markdown + JSON.stringify(messages));
  });

  it("shows refusals that never reached the protocol, and a dry run", async () => {
    const report = await runScheduledRotation(s.client, {
      integrations: s.integrations,
      env: { GH_OAUTH_SECRET: NEW_GITHUB_SECRET },
      dryRun: true,
    });
    const markdown = rotationMarkdown(report);
    expect(markdown).toContain("## Scheduled rotation (dry run): 1 passed, 1 refused");
    expect(markdown).toContain("The environment variable GL_OAUTH_SECRET is not set; nothing was changed.");
    expect(markdown).toContain("Dry run: the new secrets were tested; nothing was changed.");
    const texts = blockTexts(formatScheduledRotationReport(report));
    expect(texts).toContain(
      ":no_entry: Refused, nothing was changed: *gitlab.com (gitlab)*\nThe environment variable GL_OAUTH_SECRET is not set; nothing was changed.",
    );
    expect(texts.some((text) => text.startsWith(":test_tube: Dry run passed"))).toBe(true);
  });

  it("escapes hosts and names so they cannot inject mentions, links or table cells", async () => {
    const report = await runScheduledRotation(s.client, {
      integrations: [
        {
          runnerId: RUNNER_US_ID,
          runnerName: "<!channel>|x",
          scmId: "github",
          host: "evil.com|<!here>",
          oauth: { clientId: "c", clientSecretEnv: "UNSET_VAR" },
        },
      ],
      env: {},
    });
    const markdown = rotationMarkdown(report);
    expect(markdown).toContain("&lt;!channel&gt;\\|x");
    expect(markdown).not.toContain("<!here>");
    const raw = JSON.stringify(formatScheduledRotationReport(report));
    expect(raw).not.toContain("<!channel>");
    expect(raw).not.toContain("<!here>");
  });
});

describe("audit report formatting", () => {
  it("details what needs attention, lists the healthy ones compactly and links to the run", async () => {
    const now = new Date("2025-06-01T12:00:00Z");
    s.emu.state.setOAuthAppSecrets("gitlab.com", GITLAB_OAUTH_CLIENT_ID, [NEW_GITLAB_SECRET]);
    const token = s.emu.state.seedHostToken({
      runnerId: RUNNER_EU_ID,
      host: "github.com",
      userId: "user-7",
      source: "HOST_AUTHENTICATION_TOKEN_SOURCE_OAUTH",
      expiresAt: "2025-06-04T12:00:00Z",
    });
    s.emu.state.seedScmIntegration({ runnerId: RUNNER_US_ID, scmId: "bitbucket", host: "bitbucket.org" });
    const report = await runHealthCheck(
      s.client,
      {
        runners: s.runners,
        integrations: [
          ...s.integrations,
          { runnerId: RUNNER_EU_ID, runnerName: "aws-eu", scmId: "gitlab", host: "gitlab.example.com" },
        ],
      },
      { now: () => now },
    );

    const markdown = healthCheckMarkdown(report, workflowRunLink(RUN_ENV));
    expect(markdown).toContain(
      "## Credential audit: needs attention, 3 integrations checked (1 invalid, 1 with expiring tokens, 1 missing)",
    );
    expect(markdown).toMatch(
      /\| aws-us \([^|]+\) \| gitlab\.com \(gitlab\) \| yes \| ❌ invalid \| OAuth client id and secret: /,
    );
    expect(markdown).toMatch(
      /\| github\.com \(github\) \| yes \| ⚠️ expiring \| valid \| 1 \| 1 host token expiring within 14 days \|/,
    );
    expect(markdown).toContain("| bitbucket.org (bitbucket) | **no** (not in the file) | ✅ healthy |");
    expect(markdown).toContain("### Expired and expiring host tokens");
    expect(markdown).toContain(
      `| github.com on aws-eu | \`${token.id}\` | \`user-7\` | OAUTH | 2025-06-04T12:00:00Z |`,
    );
    expect(markdown).toContain("- gitlab.example.com (gitlab) on aws-eu");
    expect(markdown).toContain(`[View the workflow run](${RUN_URL})`);

    const messages = formatHealthCheckReport(report, { link: runLink() });
    expect(messages).toHaveLength(1);
    const texts = blockTexts(messages);
    expect(report.healthy).toBe(false);
    expect(texts[0]).toBe(
      "Credential audit: needs attention, 3 integrations checked (1 invalid, 1 with expiring tokens, 1 missing)",
    );
    const github = texts.find((text) => text.startsWith(":hourglass_flowing_sand: *github.com (github)*"));
    expect(github).toContain(`• \`${token.id}\` of \`user-7\` (OAUTH): 2025-06-04 (in 3 days)`);
    expect(texts.find((text) => text.startsWith(":x: *gitlab.com (gitlab)*"))).toContain(
      "Stored credentials: *not valid*: OAuth client id and secret:",
    );
    expect(texts).toContain(
      ":white_check_mark: *Healthy* (1)\n• *bitbucket.org (bitbucket)* on aws-us · _not in the runner-config file_",
    );
    expect(texts).toContain(
      ":ghost: *In the runner-config file but not in Gitpod*\n• *gitlab.example.com (gitlab)* on aws-eu",
    );
    expect(texts.at(-1)).toBe(
      `Tokens expiring within 14 days are flagged · 1 integration not in the file · <${RUN_URL}|View the workflow run>`,
    );
    expectNoCanary(markdown + JSON.stringify(messages));
  });

  it("says so when everything is healthy", async () => {
    const report = await runHealthCheck(s.client, { runners: s.runners, integrations: s.integrations });
    expect(healthCheckMarkdown(report)).toContain("## Credential audit: healthy, 2 integrations checked\n");
    const [message] = formatHealthCheckReport(report);
    expect(message?.text).toBe("Credential audit: healthy, 2 integrations checked");
  });

  it("splits a very large audit into several messages within Slack's limits", async () => {
    for (let index = 0; index < 60; index += 1) {
      s.emu.state.seedScmIntegration({
        runnerId: RUNNER_EU_ID,
        scmId: "github",
        host: `ghe${index}.example.com`,
        oauthClientId: "x",
        oauthClientSecret: "y",
      });
    }
    const report = await runHealthCheck(s.client, { runners: s.runners, integrations: s.integrations });
    const messages = formatHealthCheckReport(report);
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) expect(message.blocks.length).toBeLessThanOrEqual(50);
    const all = blockTexts(messages).join("\n");
    for (let index = 0; index < 60; index += 1) expect(all).toContain(`ghe${index}.example.com`);
  });
});
