/** Requests by RPC, from the emulator's request log. */
export type RpcCounts = Record<string, number>;

export function countByRpc(entries: Iterable<{ rpc: string }>): RpcCounts {
  const counts = new Map<string, number>();
  for (const entry of entries) counts.set(entry.rpc, (counts.get(entry.rpc) ?? 0) + 1);
  return Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b)));
}

export function totalRequests(counts: RpcCounts): number {
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}

const WRITE_RPC = /^(Create|Update|Delete)/;

export function writeRequests(counts: RpcCounts): number {
  return Object.entries(counts).reduce((sum, [rpc, count]) => sum + (WRITE_RPC.test(rpc) ? count : 0), 0);
}

/** Short names for the table: "ListEnvironmentClasses" -> "ListEC". */
function shortRpcName(rpc: string): string {
  return rpc
    .replace("ValidateRunnerConfiguration", "Validate")
    .replace("GetRunnerConfigurationSchema", "GetSchema")
    .replace("EnvironmentClasses", "EC")
    .replace("EnvironmentClass", "EC")
    .replace("SCMIntegrations", "SCM")
    .replace("SCMIntegration", "SCM")
    .replace("HostAuthenticationTokens", "HAT")
    .replace("HostAuthenticationToken", "HAT");
}

/** "CreateEC 400, CreateSCM 100, ..." in a stable order. */
export function formatRpcCounts(counts: RpcCounts): string {
  const parts = Object.entries(counts).map(([rpc, count]) => `${shortRpcName(rpc)} ${count}`);
  return parts.length === 0 ? "none" : parts.join(", ");
}
