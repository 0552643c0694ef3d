/** Shared pieces of the abuse suite: an emulator per test and the built action or CLI run against it. */
import { afterEach, beforeEach } from "vitest";
import {
  CLI_ENTRY,
  FAST_CLIENT_ENV,
  makeWorkspace,
  removeWorkspace,
  runAction,
  runNode,
} from "../action/run-action.js";
import {
  type Emulator,
  type EmulatorOptions,
  GITHUB_OAUTH_CLIENT_ID,
  GITHUB_OAUTH_SECRET,
  RUNNER_EU_ID,
  startEmulator,
} from "../emulator/index.js";

export const CONFIG_FILE = ".gitpod/runner-config.yaml";

/** One runner with one class and one OAuth integration (its secret from GITHUB_OAUTH_CLIENT_SECRET). */
export function configWith(classes: string, integrations = ""): string {
  return `version: 1
runners:
  - id: ${RUNNER_EU_ID}
    name: aws-eu
    environmentClasses:
${classes}
    scmIntegrations:
${
  integrations ||
  `      - scmId: github
        host: github.com
        pat: true
        oauth:
          clientId: ${GITHUB_OAUTH_CLIENT_ID}
          clientSecret: \${GITHUB_OAUTH_CLIENT_SECRET}
`
}`;
}

export const ONE_CLASS = `      - displayName: Large Instance
        description: 8 CPU, 32 GiB RAM
        configuration:
          instanceType: m6i.2xlarge
`;

export interface AbuseHarness {
  readonly emu: Emulator;
  action(
    config: string | Buffer,
    inputs: Record<string, string>,
    env?: Record<string, string>,
  ): ReturnType<typeof runAction>;
  /** The CLI as a process, in a workspace holding `config` at CONFIG_FILE. */
  cli(config: string | Buffer, args: string[], env?: Record<string, string>): ReturnType<typeof runNode>;
}

/** Registers before/after hooks: a fresh emulator (with `options`) and workspaces removed after each test. */
export function useAbuseHarness(options: EmulatorOptions = {}): AbuseHarness {
  let emu: Emulator | undefined;
  let workspaces: string[] = [];
  beforeEach(async () => {
    emu = await startEmulator(options);
  });
  afterEach(async () => {
    await emu?.close();
    await Promise.all(workspaces.map(removeWorkspace));
    workspaces = [];
  });
  const current = (): Emulator => {
    if (!emu) throw new Error("the emulator is not running");
    return emu;
  };
  return {
    get emu() {
      return current();
    },
    async action(config, inputs, env = {}) {
      const workspace = await makeWorkspace(config);
      workspaces.push(workspace);
      return runAction({
        workspace,
        inputs: { "api-token": current().token, "api-url": current().url, ...inputs },
        env: { GITHUB_OAUTH_CLIENT_SECRET: GITHUB_OAUTH_SECRET, ...FAST_CLIENT_ENV, ...env },
      });
    },
    async cli(config, args, env = {}) {
      const workspace = await makeWorkspace(config);
      workspaces.push(workspace);
      return runNode(
        CLI_ENTRY,
        args,
        {
          PATH: process.env.PATH ?? "",
          GITPOD_API_KEY: current().token,
          GITPOD_BASE_URL: current().url,
          GITHUB_OAUTH_CLIENT_SECRET: GITHUB_OAUTH_SECRET,
          ...FAST_CLIENT_ENV,
          ...env,
        },
        workspace,
      );
    },
  };
}
