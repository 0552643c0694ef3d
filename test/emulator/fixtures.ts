/**
 * Default fixtures of the emulator: two runners sharing one realistic configuration schema, and the
 * OAuth apps the emulated SCM hosts know. Other tests import these constants to address them.
 */
import type { RunnerConfigurationSchema, SchemaField, SchemaScm } from "./messages.js";

export const RUNNER_EU_ID = "d2c94c27-3b76-4a42-b88c-95a85e392c68";
export const RUNNER_EU_NAME = "aws-eu";
export const RUNNER_US_ID = "5f7a1c3e-8b2d-4e6f-9a1b-2c3d4e5f6a7b";
export const RUNNER_US_NAME = "aws-us";

export const GITHUB_OAUTH_CLIENT_ID = "Iv1.8a61f9b3a7aba766";
export const GITHUB_OAUTH_SECRET = "demo-github-oauth-secret-1";
export const GITLAB_OAUTH_CLIENT_ID = "gl-demo-client";
export const GITLAB_OAUTH_SECRET = "demo-gitlab-oauth-secret-1";

/** The SCM provider that accepts a virtual directory (an Azure DevOps Server collection path). */
export const VIRTUAL_DIRECTORY_SCM_ID = "azure-devops-server";

const SCHEMA_VERSION = "2025.06.1";
const OAUTH_CALLBACK_URL = "https://app.gitpod.io/auth/oauth2/callback";

/** An OAuth app registered at an SCM host; several secrets may be valid at once (rotation). */
export interface OAuthApp {
  host: string;
  clientId: string;
  secrets: string[];
}

export interface RunnerFixture {
  id: string;
  name: string;
  /** Defaults to {@link defaultRunnerSchema}. */
  schema?: RunnerConfigurationSchema;
  /** false: the runner is not connected, so validation (which goes through it) fails. Default true. */
  online?: boolean;
}

export const DEFAULT_RUNNERS: readonly RunnerFixture[] = [
  { id: RUNNER_EU_ID, name: RUNNER_EU_NAME },
  { id: RUNNER_US_ID, name: RUNNER_US_NAME },
];

export function defaultOAuthApps(): OAuthApp[] {
  return [
    { host: "github.com", clientId: GITHUB_OAUTH_CLIENT_ID, secrets: [GITHUB_OAUTH_SECRET] },
    { host: "gitlab.com", clientId: GITLAB_OAUTH_CLIENT_ID, secrets: [GITLAB_OAUTH_SECRET] },
  ];
}

const INSTANCE_TYPES = [
  { title: "m6i.large", subtitle: "2 vCPU, 8 GiB", detail: "general purpose" },
  { title: "m6i.xlarge", subtitle: "4 vCPU, 16 GiB", detail: "general purpose" },
  { title: "m6i.2xlarge", subtitle: "8 vCPU, 32 GiB", detail: "general purpose" },
  { title: "m6i.4xlarge", subtitle: "16 vCPU, 64 GiB", detail: "general purpose" },
  { title: "g5.xlarge", subtitle: "4 vCPU, 16 GiB, 1 GPU", detail: "NVIDIA A10G" },
];

function environmentClassFields(): SchemaField[] {
  return [
    {
      id: "instanceType",
      name: "Instance type",
      description: "EC2 instance type of the environment's VM",
      required: true,
      enum: {
        default: "m6i.large",
        defaultValue: { ...INSTANCE_TYPES[0] },
        possibleValues: INSTANCE_TYPES.map((value) => ({ ...value })),
        values: INSTANCE_TYPES.map((value) => value.title),
      },
    },
    {
      id: "diskSize",
      name: "Disk size (GiB)",
      description: "Size of the root volume",
      int: { default: 50, min: 20, max: 2000 },
    },
    {
      id: "spot",
      name: "Spot instances",
      description: "Run on spot capacity (cheaper, can be interrupted)",
      bool: { default: false },
    },
    {
      id: "imageId",
      name: "AMI",
      description: "Custom machine image; the runner's default image when empty",
      string: { pattern: "^ami-[0-9a-f]{8,17}$" },
    },
  ];
}

function runnerConfigFields(): SchemaField[] {
  return [
    {
      id: "logLevel",
      name: "Log level",
      description: "Verbosity of the runner's logs",
      enum: {
        default: "info",
        defaultValue: { title: "info" },
        possibleValues: [{ title: "debug" }, { title: "info" }, { title: "warn" }, { title: "error" }],
        values: ["debug", "info", "warn", "error"],
      },
    },
    {
      id: "metricsEnabled",
      name: "Metrics",
      description: "Export runner metrics",
      bool: { default: true },
    },
    {
      id: "releaseChannel",
      name: "Release channel",
      description: "Update channel of the runner (set at installation)",
      display: { default: "stable" },
    },
  ];
}

function scmProviders(): SchemaScm[] {
  return [
    {
      scmId: "github",
      name: "GitHub",
      defaultHosts: ["github.com"],
      oauth: { callbackUrl: OAUTH_CALLBACK_URL },
      pat: {
        description: "A classic or fine-grained personal access token with access to your repositories",
        docsLink:
          "https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/managing-your-personal-access-tokens",
      },
    },
    {
      scmId: "gitlab",
      name: "GitLab",
      defaultHosts: ["gitlab.com"],
      oauth: { callbackUrl: OAUTH_CALLBACK_URL },
      pat: {
        description: "A personal access token with the read_repository and api scopes",
        docsLink: "https://docs.gitlab.com/user/profile/personal_access_tokens/",
      },
    },
    {
      scmId: "bitbucket",
      name: "Bitbucket",
      defaultHosts: ["bitbucket.org"],
      oauth: { callbackUrl: OAUTH_CALLBACK_URL },
      pat: {
        description: "A Bitbucket access token with repository read and write permissions",
        docsLink: "https://support.atlassian.com/bitbucket-cloud/docs/access-tokens/",
      },
    },
    {
      scmId: VIRTUAL_DIRECTORY_SCM_ID,
      name: "Azure DevOps Server",
      defaultHosts: [],
      oauth: { callbackUrl: OAUTH_CALLBACK_URL },
      pat: {
        description: "A personal access token with the Code (Read & write) scope",
        docsLink:
          "https://learn.microsoft.com/en-us/azure/devops/organizations/accounts/use-personal-access-tokens-to-authenticate",
      },
    },
  ];
}

/** A fresh copy of the schema every default runner reports (callers may mutate it). */
export function defaultRunnerSchema(): RunnerConfigurationSchema {
  return {
    environmentClasses: environmentClassFields(),
    runnerConfig: runnerConfigFields(),
    scm: scmProviders(),
    version: SCHEMA_VERSION,
  };
}
