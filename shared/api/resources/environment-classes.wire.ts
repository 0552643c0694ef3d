/** Environment classes on the wire (the spec pages: Create/List/Get/UpdateEnvironmentClass). */
import { z } from "zod";
import { FieldValue, openEnum, PaginationRequest, PaginationResponse } from "./common.wire.js";

export const EnvironmentClass = z.object({
  id: z.string(),
  runnerId: z.string(),
  configuration: z.array(FieldValue).optional(),
  description: z.string().optional(),
  displayName: z.string().optional(),
  enabled: z.boolean().optional(),
});
export type EnvironmentClass = z.infer<typeof EnvironmentClass>;

export const CreateEnvironmentClassRequest = z.object({
  runnerId: z.string(),
  displayName: z.string(),
  description: z.string().optional(),
  configuration: z.array(FieldValue).optional(),
});
export type CreateEnvironmentClassRequest = z.infer<typeof CreateEnvironmentClassRequest>;

/** The spec marks `id` optional (EnvironmentClassCreateResponse: `id: Optional[str]`). */
export const CreateEnvironmentClassResponse = z.object({ id: z.string().optional() });

const RunnerKind = openEnum([
  "RUNNER_KIND_UNSPECIFIED",
  "RUNNER_KIND_LOCAL",
  "RUNNER_KIND_REMOTE",
  "RUNNER_KIND_LOCAL_CONFIGURATION",
]);
const RunnerProvider = openEnum([
  "RUNNER_PROVIDER_UNSPECIFIED",
  "RUNNER_PROVIDER_AWS_EC2",
  "RUNNER_PROVIDER_LINUX_HOST",
  "RUNNER_PROVIDER_DESKTOP_MAC",
  "RUNNER_PROVIDER_MANAGED",
  "RUNNER_PROVIDER_GCP",
  "RUNNER_PROVIDER_DEV_AGENT",
]);

const ListEnvironmentClassesFilter = z.object({
  runnerIds: z.array(z.string()).optional(),
  enabled: z.boolean().optional(),
  canCreateEnvironments: z.boolean().optional(),
  runnerKinds: z.array(RunnerKind).optional(),
  runnerProviders: z.array(RunnerProvider).optional(),
});

export const ListEnvironmentClassesRequest = z.object({
  filter: ListEnvironmentClassesFilter.optional(),
  pagination: PaginationRequest.optional(),
});
export type ListEnvironmentClassesRequest = z.infer<typeof ListEnvironmentClassesRequest>;

export const ListEnvironmentClassesResponse = z.object({
  environmentClasses: z.array(EnvironmentClass).optional(),
  pagination: PaginationResponse.optional(),
});

export const GetEnvironmentClassRequest = z.object({ environmentClassId: z.string() });
export type GetEnvironmentClassRequest = z.infer<typeof GetEnvironmentClassRequest>;

export const GetEnvironmentClassResponse = z.object({ environmentClass: EnvironmentClass.optional() });

export const UpdateEnvironmentClassRequest = z.object({
  environmentClassId: z.string(),
  displayName: z.string().optional(),
  description: z.string().optional(),
  enabled: z.boolean().optional(),
});
export type UpdateEnvironmentClassRequest = z.infer<typeof UpdateEnvironmentClassRequest>;
