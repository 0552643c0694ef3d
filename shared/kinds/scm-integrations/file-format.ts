/**
 * `scmIntegrations:` in the file: integrations matched by scmId and host within a runner, an OAuth
 * client secret only as a `${ENV_VAR}` reference, scmIds checked against the runner's live schema,
 * and the way back from live integrations (the secret cannot be read back: a variable stands in).
 */
import { z } from "zod";
import type { RunnerConfigurationSchema } from "../../api/resources/schema.wire.js";
import type { ScmIntegration } from "../../api/resources/scm-integrations.wire.js";
import {
  type FileFormat,
  type JsonSchema,
  type LoadContext,
  listSchema,
  locatedItem,
  type SchemaCheckContext,
} from "../../config/file-format.js";
import { MAX_OTHER_LENGTH } from "../../config/limits.js";
import type { PathPart } from "../../config/locate.js";
import {
  referenceTo,
  secretReference,
  secretReferenceEntry,
  secretReferenceSchema,
  variablePart,
} from "../../config/secret-reference.js";
import type { ConfigIssue, FieldLines } from "../../config/types.js";
import { didYouMean } from "../../text/did-you-mean.js";
import { oneLine } from "../../text/untrusted.js";

const OAuthEntry = z.strictObject({
  clientId: z.string().min(1, "clientId must not be empty"),
  clientSecret: secretReferenceEntry("clientSecret", " with oauth"),
  issuerUrl: z.url({ error: "issuerUrl must be a URL" }).optional(),
});

const ScmIntegrationEntry = z.strictObject({
  scmId: z.string().min(1, "scmId must not be empty"),
  host: z.string().min(1, "host must not be empty"),
  pat: z.boolean().default(false),
  oauth: OAuthEntry.optional(),
  virtualDirectory: z.string().optional(),
});
type Entry = z.infer<typeof ScmIntegrationEntry>;

export interface DesiredOAuth {
  clientId: string;
  /** Name of the environment variable that holds the secret: the file never holds the value. */
  clientSecretEnv: string;
  issuerUrl: string | undefined;
}

export interface DesiredScmIntegration {
  scmId: string;
  host: string;
  pat: boolean;
  oauth: DesiredOAuth | undefined;
  virtualDirectory: string | undefined;
  path: string;
  line: number;
  lines: FieldLines;
  columns: FieldLines;
}

/** Takes both a desired item and an API object (zod types an absent field as `| undefined`). */
export function scmKey(item: { scmId?: string | undefined; host?: string | undefined }): string {
  return `${item.scmId ?? ""}@${(item.host ?? "").toLowerCase()}`;
}

const FIELDS = ["scmId", "host", "pat", "oauth", "virtualDirectory"];
const OAUTH_FIELDS = ["clientId", "clientSecret", "issuerUrl"];

function loadEntry(entry: Entry, path: readonly PathPart[], context: LoadContext): DesiredScmIntegration {
  let oauth: DesiredOAuth | undefined;
  if (entry.oauth) {
    const clientSecretEnv = secretReference(
      entry.oauth.clientSecret,
      [...path, "oauth", "clientSecret"],
      { name: "clientSecret", holds: "secret" },
      context,
    );
    if (clientSecretEnv !== undefined) {
      oauth = { clientId: entry.oauth.clientId, clientSecretEnv, issuerUrl: entry.oauth.issuerUrl };
    }
  }
  const item = {
    scmId: entry.scmId,
    host: entry.host,
    pat: entry.pat,
    oauth,
    virtualDirectory: entry.virtualDirectory,
  };
  return locatedItem<DesiredScmIntegration>(
    item,
    path,
    context,
    FIELDS,
    entry.oauth ? { oauth: OAUTH_FIELDS } : {},
  );
}

const ENTRY_SCHEMA: JsonSchema = {
  type: "object",
  additionalProperties: false,
  required: ["scmId", "host"],
  properties: {
    scmId: {
      type: "string",
      minLength: 1,
      maxLength: MAX_OTHER_LENGTH,
      description: "Provider: github, gitlab, bitbucket, azure-devops-server, ...",
    },
    host: {
      type: "string",
      minLength: 1,
      maxLength: MAX_OTHER_LENGTH,
      description: "Host name, e.g. github.com.",
    },
    pat: { type: "boolean", default: false, description: "Allow personal access tokens." },
    oauth: { $ref: "#/$defs/oauth" },
    virtualDirectory: {
      type: "string",
      maxLength: MAX_OTHER_LENGTH,
      description: "Azure DevOps Server collection path, e.g. /tfs.",
    },
  },
};

const OAUTH_SCHEMA: JsonSchema = {
  type: "object",
  additionalProperties: false,
  required: ["clientId", "clientSecret"],
  properties: {
    clientId: { type: "string", minLength: 1, maxLength: MAX_OTHER_LENGTH },
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the file's literal ${ENV_VAR} syntax
    clientSecret: secretReferenceSchema("A ${ENV_VAR} reference; never the secret itself."),
    issuerUrl: { type: "string", format: "uri", maxLength: MAX_OTHER_LENGTH },
  },
};

/** The SCM ids one runner's live schema offers (a runner that reports none is left open). */
function liveSchemaRule(schema: RunnerConfigurationSchema): JsonSchema | undefined {
  if (!schema.scm) return undefined;
  const scmIds = schema.scm.map((scm) => scm.scmId).filter(Boolean);
  return {
    type: "array",
    items: { type: "object", properties: { scmId: { type: "string", enum: scmIds } } },
  };
}

function checkAgainstSchema(
  items: readonly DesiredScmIntegration[],
  schema: RunnerConfigurationSchema,
  { file, runner }: SchemaCheckContext,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const providers = new Set((schema.scm ?? []).map((scm) => scm.scmId ?? ""));
  for (const integration of items) {
    if (!providers.has(integration.scmId)) {
      issues.push({
        file,
        line: integration.lines.scmId ?? integration.line,
        column: integration.columns.scmId ?? 1,
        path: `${integration.path}.scmId`,
        message: `unknown scmId "${integration.scmId}"${didYouMean(integration.scmId, providers)} for runner ${runner.name ?? runner.id} (known: ${[...providers].join(", ")})`,
      });
    }
  }
  return issues;
}

/**
 * The variable an exported OAuth client secret is referenced by (docs/cli.md): `OAUTH_SECRET_<HOST>`;
 * when the same host has OAuth on more than one exported runner, `_<first 8 characters of the
 * runner id>` is appended so the runners can hold different secrets.
 */
function oauthVariable(host: string, runnerId: string, hostOnSeveralRunners: boolean): string {
  const base = `OAUTH_SECRET_${variablePart(host) || "HOST"}`;
  return hostOnSeveralRunners ? `${base}_${variablePart(runnerId.slice(0, 8))}` : base;
}

/** How many of the exported runners have OAuth for each host (counted once per export). */
const oauthHostCountsOf = new WeakMap<readonly unknown[], Map<string, number>>();
function oauthHostCounts(runners: readonly { scmIntegrations: ScmIntegration[] }[]): Map<string, number> {
  let counts = oauthHostCountsOf.get(runners);
  if (!counts) {
    counts = new Map();
    for (const runner of runners) {
      const hosts = runner.scmIntegrations
        .filter((integration: ScmIntegration) => integration.oauth?.clientId)
        .map((integration) => (integration.host ?? "").toLowerCase());
      for (const host of new Set(hosts)) counts.set(host, (counts.get(host) ?? 0) + 1);
    }
    oauthHostCountsOf.set(runners, counts);
  }
  return counts;
}

export const scmIntegrationFormat: FileFormat<
  DesiredScmIntegration,
  "scmIntegrations",
  Entry,
  { scmIntegrations: ScmIntegration[] }
> = {
  key: "scmIntegrations",
  entry: ScmIntegrationEntry,
  counted: "SCM integration(s)",
  jsonSchema: listSchema(
    "scmIntegration",
    ENTRY_SCHEMA,
    "SCM integrations, matched by scmId and host within the runner.",
    {
      oauth: OAUTH_SCHEMA,
    },
  ),
  identity: {
    key: scmKey,
    field: "host",
    duplicate: (entry) => `duplicate SCM integration ${entry.scmId} for host ${entry.host} in this runner`,
  },
  loadEntry,
  liveSchemaRule,
  checkAgainstSchema,
  exportedSecretsHeader: [
    "OAuth client secrets cannot be read back from the API. Set these variables where plan and apply",
    "run: they send a secret only when the client id changes or with --rotate-secrets (and rotation):",
  ],
  exportEntries(state, context) {
    const runnersWithOAuth = oauthHostCounts(context.runners);
    return state.scmIntegrations.map((integration) => {
      const host = integration.host ?? "";
      const entry: Record<string, unknown> = {
        scmId: integration.scmId ?? "",
        host,
        pat: integration.pat ?? false,
      };
      if (integration.virtualDirectory) entry.virtualDirectory = integration.virtualDirectory;
      const clientId = integration.oauth?.clientId;
      if (clientId) {
        const variable = context.variable(
          oauthVariable(host, state.runnerId, (runnersWithOAuth.get(host.toLowerCase()) ?? 0) > 1),
        );
        context.secret({
          variable,
          runnerId: state.runnerId,
          describes: `${oneLine(integration.scmId ?? "")} ${oneLine(host)} on runner ${state.runnerId} (client ${oneLine(clientId)})`,
        });
        const oauth: Record<string, string> = { clientId, clientSecret: referenceTo(variable) };
        if (integration.oauth?.issuerUrl) oauth.issuerUrl = integration.oauth.issuerUrl;
        entry.oauth = oauth;
      }
      return entry;
    });
  },
};
