/**
 * What error output may quote of a config line (shared/config/mask.ts): secret values and
 * credential-shaped literals become ***, references stay, and the caret's column follows.
 */
import { describe, expect, it } from "vitest";
import { maskedIssue, maskSourceLine } from "../../shared/config/mask.js";

describe("maskSourceLine", () => {
  it.each([
    ["        token: ghp_abcdefghijklmnopqrstuvwxyz012345", "        token: ***"],
    ['  clientSecret: "hunter2 with spaces"', "  clientSecret: ***"],
    ["  - password: hunter2 # a comment", "  - password: ***"],
    [
      "\textraheader = AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW46Z2hz",
      "\textraheader = AUTHORIZATION: basic ***",
    ],
    ["  url: https://bot:s3cr3tpass@git.example.com/x", "  url: https://bot:***@git.example.com/x"],
    [
      "  description: uses github_pat_11ABCDEFG0123456789_abcdefghij and glpat-abcdefghij0123456789",
      "  description: uses *** and ***",
    ],
    [
      "  note: xoxb-123456789012-abcdefghijkl, eyJhbGciOiJIUzI1.eyJzdWIiOiIxMjM0.SflKxwRJSMeKKF2QT4",
      "  note: ***, ***",
    ],
  ])("%s", (line, shown) => {
    expect(maskSourceLine(line).text).toBe(shown);
  });

  it("keeps references, empty values and lists of a key that names tokens", () => {
    for (const line of [
      `        token: ${"$"}{CI_BOT_PAT}`,
      `        clientSecret: "${"$"}{GITHUB_OAUTH_CLIENT_SECRET}"`,
      "    hostAuthenticationTokens:",
      "    hostAuthenticationTokens: []",
      "        description: a token-free class",
    ]) {
      expect(maskSourceLine(line).text).toBe(line);
    }
  });

  it("moves a column after a masked value left, and one inside it to the ***", () => {
    const line = "  pat: ghp_abcdefghijklmnopqrstuvwxyz012345 # then: x";
    const shown = maskSourceLine(line);
    expect(shown.text).toBe("  pat: *** # then: x");
    expect(shown.column(3)).toBe(3);
    expect(shown.column(8)).toBe(8);
    expect(shown.column(20)).toBe(8);
    const after = line.indexOf("# then") + 1;
    expect(shown.text[shown.column(after) - 1]).toBe("#");
  });
});

it("maskedIssue masks credentials in a message and leaves field names alone", () => {
  const issue = {
    file: "f.yaml",
    line: 3,
    column: 5,
    path: "runners[0].x.token",
    message: 'token: got "ghp_abcdefghijklmnopqrstuvwxyz012345"',
  };
  expect(maskedIssue(issue).message).toBe('token: got "***"');
  const pasted = {
    ...issue,
    path: "runners[0].ghp_abcdefghijklmnopqrstuvwxyz012345",
    message: "unknown key",
  };
  expect(maskedIssue(pasted).path).toBe("runners[0].***");
  const plain = { ...issue, message: `token must be a ${"$"}{ENV_VAR} reference` };
  expect(maskedIssue(plain)).toBe(plain);
});
