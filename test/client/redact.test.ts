import { describe, expect, it } from "vitest";
import { REDACTED, redactDeep, redactFields, scrub, secretValuesOf } from "../../shared/api/redact.js";

describe("redaction", () => {
  it("collects the secret values of a request body, nested ones too", () => {
    const body = {
      runnerId: "r",
      oauthPlaintextClientSecret: "s3cret-client",
      scmIntegration: { oauthPlaintextClientSecret: "nested-secret" },
      token: "gho_abc",
      refreshToken: "",
    };
    expect([...secretValuesOf(body)].sort()).toEqual(["gho_abc", "nested-secret", "s3cret-client"]);
  });

  it("replaces a secret that contains another without leaving a piece behind", () => {
    expect(scrub("x abcdef-long y abcdef z", ["abcdef", "abcdef-long"])).toBe(
      `x ${REDACTED} y ${REDACTED} z`,
    );
    expect(scrub("id abc", ["abc"])).toBe("id abc");
  });

  it("redacts secret fields by name and scrubs secrets from every other string", () => {
    const details = [{ debug: { token: "t-value", note: "echo of s3cret-client here" }, value: "AA" }];
    expect(redactDeep(details, ["s3cret-client"])).toEqual([
      { debug: { token: REDACTED, note: `echo of ${REDACTED} here` }, value: "AA" },
    ]);
    expect(redactFields({ refreshToken: "r", host: "h" })).toEqual({ refreshToken: REDACTED, host: "h" });
  });

  it("treats an LLM API key and every literal request-header value as secrets, a CEL expression not", () => {
    const body = {
      apiKey: "sk-llm-key",
      requestHeaders: [
        { key: "authorization", value: "Bearer lit-1" },
        { key: "x-org", value: "org-lit-2", headerType: "LLM_INTEGRATION_REQUEST_HEADER_TYPE_LITERAL" },
        {
          key: "x-user",
          value: "user.email",
          headerType: "LLM_INTEGRATION_REQUEST_HEADER_TYPE_CEL_EXPRESSION",
        },
      ],
    };
    const base64 = (text: string) => Buffer.from(text).toString("base64");
    expect([...secretValuesOf(body)].sort()).toEqual(
      ["sk-llm-key", "Bearer lit-1", base64("Bearer lit-1"), "org-lit-2", base64("org-lit-2")].sort(),
    );
    expect(redactFields(body)).toEqual({
      apiKey: REDACTED,
      requestHeaders: [
        { key: "authorization", value: REDACTED },
        { key: "x-org", value: REDACTED, headerType: "LLM_INTEGRATION_REQUEST_HEADER_TYPE_LITERAL" },
        {
          key: "x-user",
          value: "user.email",
          headerType: "LLM_INTEGRATION_REQUEST_HEADER_TYPE_CEL_EXPRESSION",
        },
      ],
    });
  });
});
