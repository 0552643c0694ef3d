/** Host authentication tokens on the wire; `token` and `refreshToken` are secrets. */
import { z } from "zod";
import { openEnum, PaginationRequest, PaginationResponse } from "./common.wire.js";

const HostAuthenticationTokenSource = openEnum([
  "HOST_AUTHENTICATION_TOKEN_SOURCE_UNSPECIFIED",
  "HOST_AUTHENTICATION_TOKEN_SOURCE_OAUTH",
  "HOST_AUTHENTICATION_TOKEN_SOURCE_PAT",
]);

const Principal = openEnum([
  "PRINCIPAL_UNSPECIFIED",
  "PRINCIPAL_ACCOUNT",
  "PRINCIPAL_USER",
  "PRINCIPAL_RUNNER",
  "PRINCIPAL_ENVIRONMENT",
  "PRINCIPAL_SERVICE_ACCOUNT",
  "PRINCIPAL_RUNNER_MANAGER",
]);

const Subject = z.object({
  id: z.string().optional(),
  principal: Principal.optional(),
});

/** RFC 3339 timestamp, kept as the string the API sent. */
const Timestamp = z.string();

export const HostAuthenticationToken = z.object({
  id: z.string(),
  expiresAt: Timestamp.optional(),
  host: z.string().optional(),
  integrationId: z.string().optional(),
  runnerId: z.string().optional(),
  scopes: z.array(z.string()).optional(),
  source: HostAuthenticationTokenSource.optional(),
  subject: Subject.optional(),
  userId: z.string().optional(),
});
export type HostAuthenticationToken = z.infer<typeof HostAuthenticationToken>;

export const CreateHostAuthenticationTokenRequest = z.object({
  runnerId: z.string(),
  host: z.string(),
  token: z.string(),
  source: HostAuthenticationTokenSource.optional(),
  expiresAt: Timestamp.optional(),
  refreshToken: z.string().optional(),
  integrationId: z.string().optional(),
  scopes: z.array(z.string()).max(101).optional(),
  subject: Subject.optional(),
  userId: z.string().optional(),
});
export type CreateHostAuthenticationTokenRequest = z.infer<typeof CreateHostAuthenticationTokenRequest>;

export const CreateHostAuthenticationTokenResponse = z.object({ token: HostAuthenticationToken });

const ListHostAuthenticationTokensFilter = z.object({
  runnerId: z.string().optional(),
  subjectId: z.string().optional(),
  userId: z.string().optional(),
});

export const ListHostAuthenticationTokensRequest = z.object({
  filter: ListHostAuthenticationTokensFilter.optional(),
  pagination: PaginationRequest.optional(),
});
export type ListHostAuthenticationTokensRequest = z.infer<typeof ListHostAuthenticationTokensRequest>;

export const ListHostAuthenticationTokensResponse = z.object({
  tokens: z.array(HostAuthenticationToken).optional(),
  pagination: PaginationResponse.optional(),
});

export const GetHostAuthenticationTokenRequest = z.object({ id: z.string() });
export type GetHostAuthenticationTokenRequest = z.infer<typeof GetHostAuthenticationTokenRequest>;

export const GetHostAuthenticationTokenResponse = z.object({ token: HostAuthenticationToken });

export const UpdateHostAuthenticationTokenRequest = z.object({
  id: z.string(),
  token: z.string().optional(),
  refreshToken: z.string().optional(),
  expiresAt: Timestamp.optional(),
  scopes: z.array(z.string()).optional(),
});
export type UpdateHostAuthenticationTokenRequest = z.infer<typeof UpdateHostAuthenticationTokenRequest>;

export const DeleteHostAuthenticationTokenRequest = z.object({ id: z.string() });
export type DeleteHostAuthenticationTokenRequest = z.infer<typeof DeleteHostAuthenticationTokenRequest>;
