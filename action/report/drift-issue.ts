/**
 * One GitHub issue per config input that tracks drift: found again by a hidden marker in its body,
 * which also carries the fingerprint of the drift it last saw (runners are ephemeral; the issue is
 * where the next run finds it). Opened when drift appears, edited while it lasts, commented on and
 * closed when the runners match again. Only issues the token's own identity opened count: anyone
 * may open an issue with the marker in it. GitHub REST over fetch, at GITHUB_API_URL.
 */
import { markdownText } from "../../shared/markdown/escape.js";
import type { DriftTransition } from "../../shared/sync/drift.js";
import { github, tokenLogin } from "./pr-comment.js";

interface Repository {
  apiUrl: string;
  /** owner/name */
  repository: string;
}

export interface DriftIssue {
  number: number;
  url: string | undefined;
  /** The fingerprint of the drift the issue last described. */
  fingerprint: string | undefined;
}

/** The marker's fixed part for one config input: the path is URI-encoded so it cannot end the comment. */
function markerPrefix(config: string): string {
  return `<!-- gitpod-runner-config:drift config=${encodeURIComponent(config)}`;
}

function marker(config: string, fingerprint: string): string {
  return `${markerPrefix(config)} fingerprint=${fingerprint} -->`;
}

const FINGERPRINT = / fingerprint=(sha256:[0-9a-f]{64}) -->/;

export function repositoryFrom(env: Record<string, string | undefined>): Repository | undefined {
  const repository = env.GITHUB_REPOSITORY;
  if (!repository) return undefined;
  return { apiUrl: (env.GITHUB_API_URL ?? "https://api.github.com").replace(/\/+$/, ""), repository };
}

/** The open drift issue of this config that the token's identity opened, if any. */
export async function findDriftIssue(
  token: string,
  repo: Repository,
  config: string,
): Promise<DriftIssue | undefined> {
  const prefix = `${markerPrefix(config)} `;
  const login = await tokenLogin(token, repo.apiUrl);
  for (let page = 1; page <= 10; page++) {
    const issues = (await github(
      token,
      `${repo.apiUrl}/repos/${repo.repository}/issues?state=open&per_page=100&page=${page}`,
    )) as Array<{
      number: number;
      html_url?: string;
      body?: string | null;
      user?: { login?: string } | null;
      pull_request?: unknown;
    }>;
    const mine = issues.find(
      (issue) => !issue.pull_request && issue.user?.login === login && issue.body?.startsWith(prefix),
    );
    if (mine) {
      return {
        number: mine.number,
        url: mine.html_url,
        fingerprint: mine.body?.split("\n", 1)[0]?.match(FINGERPRINT)?.[1],
      };
    }
    if (issues.length < 100) break;
  }
  return undefined;
}

/** The issue's body: the marker line, then the drift in words (escaped), then where it was seen. */
function issueBody(config: string, fingerprint: string, items: readonly string[], runUrl?: string): string {
  const listed = items.slice(0, 200).map((item) => `- ${markdownText(item)}`);
  if (items.length > 200) listed.push(`- and ${items.length - 200} more: see the workflow run`);
  return [
    marker(config, fingerprint),
    `The runners no longer match \`${config.replace(/`/g, "'")}\`. Apply the file, or change the file to match (for objects added in Gitpod by hand, add them to the file, e.g. from \`gitpod-runner-config export\`).`,
    "",
    ...listed,
    "",
    `Last checked: ${new Date().toISOString()}${runUrl ? ` ([workflow run](${runUrl}))` : ""}. This issue is updated by each drift run and closed when the runners match again.`,
  ].join("\n");
}

/** Opens, edits or closes the issue as the transition says; returns what it did, in words. */
export async function trackDriftIssue(
  token: string,
  repo: Repository,
  config: string,
  existing: DriftIssue | undefined,
  transition: DriftTransition,
  drift: { items: readonly string[]; fingerprint: string | undefined },
  runUrl: string | undefined,
): Promise<{ said: string; url?: string }> {
  const base = `${repo.apiUrl}/repos/${repo.repository}/issues`;
  if (transition === "none") return { said: "No drift and no open drift issue." };
  if (transition === "resolved") {
    if (!existing) return { said: "No drift." };
    await github(token, `${base}/${existing.number}/comments`, {
      method: "POST",
      body: {
        body: `The runners match \`${config.replace(/`/g, "'")}\` again${runUrl ? ` ([workflow run](${runUrl}))` : ""}; closing.`,
      },
    });
    await github(token, `${base}/${existing.number}`, {
      method: "PATCH",
      body: { state: "closed", state_reason: "completed" },
    });
    return {
      said: `Closed drift issue #${existing.number}.`,
      ...(existing.url ? { url: existing.url } : {}),
    };
  }
  const fingerprint = drift.fingerprint ?? "";
  const body = issueBody(config, fingerprint, drift.items, runUrl);
  if (existing) {
    await github(token, `${base}/${existing.number}`, { method: "PATCH", body: { body } });
    return {
      said: `Updated drift issue #${existing.number}.`,
      ...(existing.url ? { url: existing.url } : {}),
    };
  }
  const created = (await github(token, base, {
    method: "POST",
    body: { title: `Drift: the Gitpod runners no longer match ${config}`, body },
  })) as { number?: number; html_url?: string };
  return {
    said: `Opened drift issue #${created.number ?? "?"}.`,
    ...(created.html_url ? { url: created.html_url } : {}),
  };
}
