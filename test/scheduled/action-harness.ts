/**
 * The scheduled-mode tests run the bundled action through the same runner harness as the sync tests
 * (test/action/run-action.ts); this adds the config file and one string with everything the run left
 * behind, to search for leaked secrets.
 */
import {
  FAST_CLIENT_ENV,
  makeWorkspace,
  removeWorkspace,
  runAction as runBundledAction,
} from "../action/run-action.js";

export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** Everything the run left behind, to search for leaked secrets. */
  everything: string;
}

export async function runAction(options: {
  inputs: Record<string, string>;
  config: string;
  env?: Record<string, string>;
}): Promise<ActionRun> {
  const workspace = await makeWorkspace(options.config);
  try {
    const result = await runBundledAction({
      workspace,
      inputs: { config: ".gitpod/runner-config.yaml", ...options.inputs },
      env: { ...FAST_CLIENT_ENV, ...options.env },
    });
    const outputsText = Object.entries(result.outputs)
      .map(([name, value]) => `${name}=${value}`)
      .join("\n");
    return { ...result, everything: [result.stdout, result.stderr, outputsText, result.summary].join("\n") };
  } finally {
    await removeWorkspace(workspace);
  }
}
