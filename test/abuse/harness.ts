/** Shared pieces of the abuse suite: an emulator per test and the built action or CLI run against it. */
import { afterEach, beforeEach } from "vitest";
import {
  type Emulator,
  type EmulatorOptions,
  GITHUB_OAUTH_SECRET,
  startEmulator,
} from "../emulator/index.js";
import {
  type ActionResult,
  FAST_CLIENT_ENV,
  makeWorkspace,
  type ProcessResult,
  removeWorkspace,
  runAction,
  runCli,
  WORKSPACE_CONFIG,
} from "../support/run-action.js";

/** Where the action and the CLI find the config in the harness's workspaces. */
export const CONFIG_FILE = WORKSPACE_CONFIG;

export interface AbuseHarness {
  readonly emu: Emulator;
  action(
    config: string | Buffer,
    inputs: Record<string, string>,
    env?: Record<string, string>,
  ): Promise<ActionResult>;
  /** The CLI as a process, in a workspace holding `config` at CONFIG_FILE. */
  cli(config: string | Buffer, args: string[], env?: Record<string, string>): Promise<ProcessResult>;
}

/** Registers before/after hooks: a fresh emulator (with `options`), and the CLI's workspaces removed after each test. */
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
    action(config, inputs, env = {}) {
      return runAction({
        configYaml: config,
        api: current(),
        inputs,
        env: { OAUTH_SECRET_GITHUB_COM: GITHUB_OAUTH_SECRET, ...FAST_CLIENT_ENV, ...env },
      });
    },
    async cli(config, args, env = {}) {
      const workspace = await makeWorkspace(config);
      workspaces.push(workspace);
      return runCli(args, {
        cwd: workspace,
        api: current(),
        env: { OAUTH_SECRET_GITHUB_COM: GITHUB_OAUTH_SECRET, ...env },
      });
    },
  };
}
