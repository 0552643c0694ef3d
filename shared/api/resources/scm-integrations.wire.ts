/** SCM integrations on the wire; `oauthPlaintextClientSecret` is a secret. */
import { z } from "zod";
import { PaginationRequest, PaginationResponse } from "./common.wire.js";

const ScmIntegrationOAuthConfig = z.object({
  clientId: z.string().optional(),
  /** base64 RSA-OAEP ciphertext made with the runner's public key; never the plaintext. */
  encryptedClientSecret: z.string().optional(),
  issuerUrl: z.string().optional(),
});

/** On the wire every field is optional (the spec marks `id` and `runner_id` optional too). */
export const ScmIntegrationWire = z.object({
  id: z.string().optional(),
  runnerId: z.string().optional(),
  scmId: z.string().optional(),
  host: z.string().optional(),
  oauth: ScmIntegrationOAuthConfig.nullable().optional(),
  pat: z.boolean().optional(),
  virtualDirectory: z.string().optional(),
});
export type ScmIntegrationWire = z.infer<typeof ScmIntegrationWire>;

/**
 * What the client hands out: `id` and `runnerId` are always strings. The resource fills `runnerId`
 * from a one-runner filter when the API left it out; otherwise a missing one is "", and so is a
 * missing `id` (such an integration cannot be updated or deleted, and callers say so).
 */
export type ScmIntegration = Omit<ScmIntegrationWire, "id" | "runnerId"> & { id: string; runnerId: string };

export const CreateScmIntegrationRequest = z.object({
  runnerId: z.string(),
  scmId: z.string(),
  host: z.string(),
  issuerUrl: z.string().optional(),
  oauthClientId: z.string().optional(),
  oauthPlaintextClientSecret: z.string().optional(),
  pat: z.boolean().optional(),
  virtualDirectory: z.string().optional(),
});
export type CreateScmIntegrationRequest = z.infer<typeof CreateScmIntegrationRequest>;

export const CreateScmIntegrationResponse = z.object({ id: z.string().optional() });

const ListScmIntegrationsFilter = z.object({
  runnerIds: z.array(z.string()).optional(),
});

export const ListScmIntegrationsRequest = z.object({
  filter: ListScmIntegrationsFilter.optional(),
  pagination: PaginationRequest.optional(),
});
export type ListScmIntegrationsRequest = z.infer<typeof ListScmIntegrationsRequest>;

export const ListScmIntegrationsResponse = z.object({
  integrations: z.array(ScmIntegrationWire).optional(),
  pagination: PaginationResponse.optional(),
});

export const GetScmIntegrationRequest = z.object({ id: z.string() });
export type GetScmIntegrationRequest = z.infer<typeof GetScmIntegrationRequest>;

export const GetScmIntegrationResponse = z.object({ integration: ScmIntegrationWire.optional() });

export const UpdateScmIntegrationRequest = z.object({
  id: z.string(),
  issuerUrl: z.string().optional(),
  /** "" removes OAuth and deletes the runner's and host's OAuth-sourced host tokens. */
  oauthClientId: z.string().optional(),
  oauthPlaintextClientSecret: z.string().optional(),
  /** false deletes the runner's and host's PAT-sourced host tokens. */
  pat: z.boolean().optional(),
  virtualDirectory: z.string().optional(),
});
export type UpdateScmIntegrationRequest = z.infer<typeof UpdateScmIntegrationRequest>;

export const DeleteScmIntegrationRequest = z.object({ id: z.string() });
export type DeleteScmIntegrationRequest = z.infer<typeof DeleteScmIntegrationRequest>;
