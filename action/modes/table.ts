/**
 * The action's modes: one entry per value of the `mode` input, in the order action.yml lists them
 * (test/action/mode-table.test.ts). The input's check, whether `api-token` is required, which modes
 * listen for cancellation and dispatch all come from it. Adding a mode: one entry here
 * (CONTRIBUTING.md).
 */
import type { GitpodClient } from "../../shared/api/index.js";
import type { Cancellation } from "../cancellation.js";
import type { ActionInputs } from "../inputs.js";
import { runExportMode } from "./export.js";
import { runHealthCheckMode } from "./health-check.js";
import type { ModeInputs } from "./mode-inputs.js";
import { runRotateMode } from "./rotate.js";
import { runSyncMode } from "./sync.js";
import { runValidateMode } from "./validate.js";

/** What a mode gets when the run has a token: the API client and the inputs read before any call. */
interface OnlineRun {
  inputs: ActionInputs;
  client: GitpodClient;
  env: Record<string, string | undefined>;
  /** Slack and schedule inputs, read before any API call so a bad one fails the step up front. */
  modeInputs: ModeInputs;
  /** Listening only for a mode that writes. */
  cancellation: Cancellation | undefined;
}

/** What a mode that needs no token gets when the run has none: no client, no network. */
interface OfflineRun {
  inputs: ActionInputs;
  client: undefined;
  env: Record<string, string | undefined>;
}

interface ModeBase {
  name: string;
  /**
   * Changes the runners: a cancelled run stops new writes, lets those in flight finish, writes its
   * summary and fails the step. The others keep Node's default (stop at once on a signal).
   */
  writes: boolean;
}

type ActionMode =
  | (ModeBase & { needsToken: true; run: (run: OnlineRun) => Promise<void> })
  /** Runs offline when `api-token` is empty (pull requests from forks get no secrets). */
  | (ModeBase & { needsToken: false; run: (run: OnlineRun | OfflineRun) => Promise<void> });

export const ACTION_MODES: readonly ActionMode[] = [
  {
    name: "plan",
    writes: false,
    needsToken: true,
    run: ({ inputs, client, env, modeInputs }) =>
      runSyncMode({ ...inputs, mode: "plan" }, client, env, modeInputs),
  },
  {
    name: "apply",
    writes: true,
    needsToken: true,
    run: ({ inputs, client, env, modeInputs, cancellation }) =>
      runSyncMode({ ...inputs, mode: "apply" }, client, env, modeInputs, cancellation),
  },
  {
    name: "validate",
    writes: false,
    needsToken: false,
    run: ({ inputs, client, env }) => runValidateMode(inputs, client, env),
  },
  {
    name: "rotate",
    writes: true,
    needsToken: true,
    run: ({ inputs, client, env, modeInputs, cancellation }) =>
      runRotateMode(inputs, modeInputs, client, env, cancellation),
  },
  {
    name: "audit",
    writes: false,
    needsToken: true,
    run: ({ inputs, client, env, modeInputs }) => runHealthCheckMode(inputs, modeInputs, client, env),
  },
  {
    name: "export",
    writes: false,
    needsToken: true,
    run: ({ inputs, client, env }) => runExportMode(inputs, client, env),
  },
];
