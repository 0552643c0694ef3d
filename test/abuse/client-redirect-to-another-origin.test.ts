/**
 * A hostile (or moved) API that answers with a redirect: the client never follows it, so the bearer
 * token never reaches the other origin, and the error names the new address (without credentials
 * or query) and the setting to change. A second server stands for the other origin and counts
 * every request and Authorization header it receives.
 */
import { describe, expect, it } from "vitest";
import { describeApiError, GitpodApiError, GitpodClient } from "../../shared/api/index.js";
import { json } from "../client/raw-server.js";
import { clientFor, onCleanup, rawServer, rejectionOf } from "../client/setup.js";
import { RUNNER_EU_ID } from "../emulator/index.js";

const TOKEN = "canary-bearer-token-7d41";
const SCHEMA_PATH = "/api/gitpod.v1.RunnerConfigurationService/GetRunnerConfigurationSchema";

/** The other origin: it must never see a request, let alone the token. */
async function witness() {
  const authorizations: string[] = [];
  const server = await rawServer((request, response) => {
    authorizations.push(String(request.headers.authorization ?? ""));
    json(response, 200, {});
  });
  return { server, authorizations };
}

describe("redirects", () => {
  for (const status of [301, 302, 303, 307, 308]) {
    it(`HTTP ${status} to another origin is refused in words, and the token never goes there`, async () => {
      const other = await witness();
      const target = new URL(other.server.url);
      // Credentials, a query and a fragment in the Location: none of them may be repeated.
      const location = `http://mallory:hunter2-pw@${target.host}${SCHEMA_PATH}?token=leaked-query#frag`;
      const hostile = await rawServer((_request, response) => {
        response.writeHead(status, { location });
        response.end();
      });
      const client = clientFor(`${hostile.url}/api`, TOKEN, { maxRetries: 3 });
      const error = await rejectionOf(client.schema.get({ runnerId: RUNNER_EU_ID }));

      expect(error).toBeInstanceOf(GitpodApiError);
      const apiError = error as GitpodApiError;
      expect(apiError).toMatchObject({ code: "redirected", status, retryable: false, outcomeUnknown: false });
      expect(apiError.message).toContain(`redirect to ${other.server.url}${SCHEMA_PATH};`);
      expect(apiError.message).toContain("not followed, so the API token was not sent there");
      expect(apiError.advice).toBe(
        `if the API has moved there, set the baseUrl option to ${other.server.url}/api`,
      );
      for (const leaked of ["mallory", "hunter2", "leaked-query", "frag", TOKEN])
        expect(apiError.message).not.toContain(leaked);
      // Asked once (never retried), and the other origin heard nothing.
      expect(hostile.requests).toHaveLength(1);
      expect(hostile.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(other.server.requests).toHaveLength(0);
      expect(other.authorizations).toEqual([]);
    });
  }

  it("names the variable the address was read from, and a create's outcome is known (nothing was done)", async () => {
    const other = await witness();
    const hostile = await rawServer((_request, response) => {
      response.writeHead(308, {
        location: `${other.server.url}/v2/gitpod.v1.RunnerConfigurationService/CreateEnvironmentClass`,
      });
      response.end();
    });
    // Address and token from the environment, as the CLI and the bot read them.
    const client = new GitpodClient({ env: { ONA_BASE_URL: `${hostile.url}/api`, ONA_API_KEY: TOKEN } });
    onCleanup(() => client.close());
    const error = (await rejectionOf(
      client.environmentClasses.create({ runnerId: RUNNER_EU_ID, displayName: "Large", configuration: [] }),
    )) as GitpodApiError;
    expect(error.outcomeUnknown).toBe(false);
    expect(error.advice).toBe(`if the API has moved there, set ONA_BASE_URL to ${other.server.url}/v2`);
    expect(describeApiError(error).text).toBe(
      `The Gitpod API answered with a redirect, which is never followed (the API token is not sent elsewhere): if the API has moved there, set ONA_BASE_URL to ${other.server.url}/v2 (CreateEnvironmentClass).`,
    );
    expect(other.server.requests).toHaveLength(0);
  });

  it("a redirect on the same host, or to no usable address, is not followed either", async () => {
    const sameHost = await rawServer((request, response) => {
      if (request.count === 1) {
        response.writeHead(302, { location: "/elsewhere/login?next=1" });
        response.end();
      } else json(response, 200, {});
    });
    const client = clientFor(`${sameHost.url}/api`, TOKEN, { settingNames: { baseUrl: "--api-url" } });
    const error = (await rejectionOf(client.schema.get({ runnerId: RUNNER_EU_ID }))) as GitpodApiError;
    expect(error.message).toContain(
      `redirect to ${sameHost.url}/elsewhere/login on the same host; not followed`,
    );
    expect(error.advice).toBe("set --api-url to the API's current base URL");
    expect(sameHost.requests).toHaveLength(1);

    const nowhere = await rawServer((_request, response) => {
      response.writeHead(301, { location: "javascript:alert(1)" });
      response.end();
    });
    const bad = (await rejectionOf(
      clientFor(nowhere.url, TOKEN).schema.get({ runnerId: RUNNER_EU_ID }),
    )) as GitpodApiError;
    expect(bad.message).toContain("a redirect to no usable HTTP address; not followed");
    expect(bad.message).not.toContain("javascript");
  });

  it("a Location that echoes the token is scrubbed", async () => {
    const other = await witness();
    const hostile = await rawServer((_request, response) => {
      response.writeHead(301, { location: `${other.server.url}/${TOKEN}/api` });
      response.end();
    });
    const error = (await rejectionOf(
      clientFor(hostile.url, TOKEN).schema.get({ runnerId: RUNNER_EU_ID }),
    )) as GitpodApiError;
    expect(error.message).not.toContain(TOKEN);
    expect(error.message).toContain(`${other.server.url}/[redacted]/api`);
    expect(other.server.requests).toHaveLength(0);
  });
});
