/** GetRunnerConfigurationSchema: the schema of the runner (each runner has its own copy). */
import { lookupRunner, type RpcHandler } from "./context.js";

/**
 * Assumption: the service keeps the schema the runner last reported, so it answers while the runner
 * is offline.
 */
export const getRunnerConfigurationSchema: RpcHandler<"GetRunnerConfigurationSchema"> = (
  request,
  { state },
) => {
  const runner = lookupRunner(state, request.runnerId);
  return { schema: structuredClone(runner.schema) };
};
