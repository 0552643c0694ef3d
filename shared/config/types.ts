/** The desired state read from a runner-config file, with the file line of every field. */

export interface ConfigIssue {
  file: string;
  line: number;
  column: number;
  /** Dotted path of the field, e.g. `runners[0].scmIntegrations[1].host`. */
  path: string;
  message: string;
}

/** Line numbers by field name (`displayName`, `configuration.diskSize`, `oauth.clientSecret`, ...). */
export type FieldLines = Record<string, number>;

export interface DesiredEnvironmentClass {
  displayName: string;
  description: string | undefined;
  enabled: boolean;
  /** Values as the API stores them: strings. */
  configuration: Record<string, string>;
  path: string;
  line: number;
  lines: FieldLines;
}

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
}

/** A service account's host token. Keyed by (host, serviceAccount) within its runner. */
export interface DesiredHostAuthenticationToken {
  host: string;
  /** The service account's id (the token's subject, PRINCIPAL_SERVICE_ACCOUNT). */
  serviceAccount: string;
  /** The environment variable that holds the token: the file never holds the value. */
  tokenEnv: string;
  refreshTokenEnv: string | undefined;
  /** RFC 3339 in UTC, as the API prints it. */
  expiresAt: string | undefined;
  scopes: string[] | undefined;
  /** The scmId of the runner's SCM integration the token belongs to. */
  integration: string | undefined;
  path: string;
  line: number;
  lines: FieldLines;
}

export function hostTokenKey(item: { host: string; serviceAccount: string }): string {
  return `${item.host.toLowerCase()}/${item.serviceAccount.toLowerCase()}`;
}

export interface DesiredRunner {
  /** The file this runner is configured in (several files may make up one desired state). */
  file: string;
  id: string;
  name: string | undefined;
  environmentClasses: DesiredEnvironmentClass[];
  scmIntegrations: DesiredScmIntegration[];
  hostAuthenticationTokens: DesiredHostAuthenticationToken[];
  path: string;
  line: number;
}

export interface DesiredState {
  /** The file, or the files joined with ", " when several make up the state. */
  file: string;
  runners: DesiredRunner[];
}

/** Takes both a desired item and an API object (zod types an absent field as `| undefined`). */
export function scmKey(item: { scmId?: string | undefined; host?: string | undefined }): string {
  return `${item.scmId ?? ""}@${(item.host ?? "").toLowerCase()}`;
}
