/** The file's structure, strict: unknown keys and wrong types are errors with their line. */
import { z } from "zod";

const configurationValue = z.union([z.string(), z.number(), z.boolean()], {
  error: "must be a string, a number or a boolean",
});

export const SECRET_REFERENCE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

export const EnvironmentClassEntry = z.strictObject({
  displayName: z.string().min(1, "displayName must not be empty"),
  description: z.string().optional(),
  enabled: z.boolean().default(true),
  configuration: z.record(z.string(), configurationValue).default({}),
});

export const OAuthEntry = z.strictObject({
  clientId: z.string().min(1, "clientId must not be empty"),
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the file's literal ${ENV_VAR} syntax
  clientSecret: z.string({ error: "clientSecret is required with oauth: a ${ENV_VAR} reference" }),
  issuerUrl: z.url({ error: "issuerUrl must be a URL" }).optional(),
});

export const ScmIntegrationEntry = z.strictObject({
  scmId: z.string().min(1, "scmId must not be empty"),
  host: z.string().min(1, "host must not be empty"),
  pat: z.boolean().default(false),
  oauth: OAuthEntry.optional(),
  virtualDirectory: z.string().optional(),
});

/** A service account's token at an SCM host; users' tokens are theirs and never in the file. */
export const HostAuthenticationTokenEntry = z.strictObject({
  host: z.string().min(1, "host must not be empty"),
  serviceAccount: z.uuid({ error: "serviceAccount must be a service account id (a UUID)" }),
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the file's literal ${ENV_VAR} syntax
  token: z.string({ error: "token is required: a ${ENV_VAR} reference" }),
  refreshToken: z.string().optional(),
  expiresAt: z.string({ error: "expiresAt must be an RFC 3339 time in quotes" }).optional(),
  scopes: z.array(z.string().min(1, "a scope must not be empty")).max(100, "at most 100 scopes").optional(),
  integration: z.string().min(1, "integration must not be empty").optional(),
});

export const RunnerEntry = z.strictObject({
  id: z.uuid({ error: "id must be a runner id (a UUID)" }),
  name: z.string().optional(),
  environmentClasses: z.array(EnvironmentClassEntry).default([]),
  scmIntegrations: z.array(ScmIntegrationEntry).default([]),
  hostAuthenticationTokens: z.array(HostAuthenticationTokenEntry).default([]),
});

export const RunnerConfigFile = z.strictObject({
  version: z.literal(1, { error: "version must be 1" }),
  runners: z.array(RunnerEntry).min(1, "runners must list at least one runner"),
});
export type RunnerConfigFile = z.infer<typeof RunnerConfigFile>;
