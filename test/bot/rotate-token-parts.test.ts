/** The pure parts of rotate-token: the command's words, which token is meant, the form, recovery words. */
import { describe, expect, it } from "vitest";
import { chooseServiceAccountToken } from "../../bot/host-tokens/find.js";
import { ParseProblem, SECRET_TYPED } from "../../bot/listeners/commands/command.js";
import { parseRotateToken } from "../../bot/listeners/commands/rotate-token.js";
import { checkTokenSubmission } from "../../bot/listeners/views/rotate-token-submit.js";
import { describeTokenInterruption } from "../../bot/rotations/recovery.js";
import type { HostAuthenticationToken } from "../../shared/api/resources/host-authentication-tokens.wire.js";

const SA = "7d1e6f0a-2b3c-4d5e-8f90-a1b2c3d4e5f6";
const USER = "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f";
const EU = "d2c94c27-3b76-4a42-b88c-95a85e392c68";
const US = "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e";
const OTHER = "99999999-4f5a-4b6c-8d7e-9f0a1b2c3d4e";
const LABELS = { [EU]: "aws-eu", [US]: "aws-us" };

function token(
  id: string,
  runnerId: string,
  subject: HostAuthenticationToken["subject"],
  host = "github.com",
) {
  return { id, runnerId, host, subject } as HostAuthenticationToken;
}
const sa = (id: string, runnerId: string, host?: string) =>
  token(id, runnerId, { id: SA, principal: "PRINCIPAL_SERVICE_ACCOUNT" }, host);

describe("parseRotateToken", () => {
  it("takes a host, a service account id and an optional runner", () => {
    expect(parseRotateToken(["GitHub.com", SA.toUpperCase()])).toEqual({
      target: { host: "github.com", serviceAccountId: SA },
    });
    expect(parseRotateToken(["<https://github.com|github.com>", SA, "aws-eu"])).toMatchObject({
      target: { runner: "aws-eu" },
    });
  });

  it("answers usage without quoting what was typed", () => {
    const missing = parseRotateToken([]);
    expect(missing).toBeInstanceOf(ParseProblem);
    expect(missing).toMatchObject({ secret: false });
    const notUuid = parseRotateToken(["github.com", "ci-bot"]);
    expect(notUuid).toMatchObject({ secret: false, problem: expect.stringContaining("UUID") });
    expect(JSON.stringify(notUuid)).not.toContain("ci-bot");
  });

  it("refuses anything that may be a token, wherever it is", () => {
    for (const args of [
      ["github.com", SA, "ghp_0123456789abcdefABCDEF0123456789abcd"],
      ["github.com", "glpat-abcdefghijklmnop1234"],
      ["github.com", SA, "aws-eu", "extra"],
      ["github.com", SA, "not/a*runner"],
    ]) {
      expect(parseRotateToken(args)).toBe(SECRET_TYPED);
    }
  });
});

describe("chooseServiceAccountToken", () => {
  const tokens = [
    sa("t-eu", EU),
    sa("t-us", US),
    sa("t-gitlab", EU, "gitlab.com"),
    sa("t-foreign", OTHER),
    token("t-user", EU, { id: USER, principal: "PRINCIPAL_USER" }),
    {
      id: "t-legacy",
      runnerId: EU,
      host: "github.com",
      userId: USER.replace("1c", "2c"),
    } as HostAuthenticationToken,
  ];
  const runners = [EU, US];

  it("finds the one token, or asks for the runner when there are several", () => {
    expect(
      chooseServiceAccountToken(tokens, { host: "gitlab.com", serviceAccountId: SA }, runners, LABELS),
    ).toMatchObject({
      kind: "one",
      token: { id: "t-gitlab" },
    });
    const many = chooseServiceAccountToken(
      tokens,
      { host: "github.com", serviceAccountId: SA },
      runners,
      LABELS,
    );
    expect(many.kind).toBe("many");
    expect(
      chooseServiceAccountToken(
        tokens,
        { host: "github.com", serviceAccountId: SA, runner: "AWS-US" },
        runners,
        LABELS,
      ),
    ).toMatchObject({ kind: "one", token: { id: "t-us" } });
    expect(
      chooseServiceAccountToken(
        tokens,
        { host: "github.com", serviceAccountId: SA, runner: EU },
        runners,
        LABELS,
      ),
    ).toMatchObject({ kind: "one", token: { id: "t-eu" } });
  });

  it("never picks another runner's token, and names a user's token as such", () => {
    expect(
      chooseServiceAccountToken(
        tokens,
        { host: "github.com", serviceAccountId: SA, runner: OTHER },
        runners,
        LABELS,
      ),
    ).toMatchObject({ kind: "none", reason: "the bot manages no runner of that id or name" });
    expect(
      chooseServiceAccountToken(tokens, { host: "github.com", serviceAccountId: USER }, runners, LABELS),
    ).toMatchObject({
      kind: "user-token",
    });
    // The deprecated userId field names a user too.
    expect(
      chooseServiceAccountToken(
        tokens,
        { host: "github.com", serviceAccountId: USER.replace("1c", "2c") },
        runners,
        LABELS,
      ),
    ).toMatchObject({ kind: "user-token" });
    expect(
      chooseServiceAccountToken(tokens, { host: "bitbucket.org", serviceAccountId: SA }, runners, LABELS),
    ).toMatchObject({
      kind: "none",
    });
  });
});

describe("checkTokenSubmission", () => {
  const now = new Date("2026-11-25T00:30:00Z");
  it("asks for a token without spaces and a future expiry, and never repeats the token", () => {
    expect(checkTokenSubmission("", undefined, now)).toEqual({ errors: { host_token: expect.any(String) } });
    const spaced = checkTokenSubmission("abc def-secret", undefined, now);
    expect(spaced).toEqual({ errors: { host_token: expect.any(String) } });
    expect(JSON.stringify(spaced)).not.toContain("def-secret");
    expect(checkTokenSubmission("tok", "2026-11-25", now)).toEqual({
      errors: { token_expires: expect.any(String) },
    });
    expect(checkTokenSubmission("tok", "2026-11-26", now)).toEqual({ expiresAt: "2026-11-26T00:00:00Z" });
    expect(checkTokenSubmission("tok", undefined, now)).toEqual({});
  });
});

describe("describeTokenInterruption", () => {
  const owner = { owner: `service account ${SA}` };
  it("says what is known about the stored token from the journal phase", () => {
    expect(describeTokenInterruption({ phase: "started" }, owner)).toMatchObject({ state: "unchanged" });
    expect(describeTokenInterruption({ phase: "updated" }, owner)).toMatchObject({ state: "new" });
    expect(describeTokenInterruption({ phase: "updating", interruptedAt: 1 }, owner)).toMatchObject({
      state: "unknown",
      text: expect.stringContaining("interrupted by a shutdown while the update was in flight"),
    });
    expect(describeTokenInterruption({ phase: "updated" }, { error: "not found" })).toMatchObject({
      state: "unknown",
    });
  });
});
