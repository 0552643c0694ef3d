/**
 * The service's own protobuf descriptors (official SDK 1.0.1, in ../shared/spec/descriptors beside
 * the clone) loaded with @bufbuild/protobuf, and the service's own validation rules enforced with
 * @bufbuild/protovalidate. Test code only: the product and the emulator never load these.
 *
 * - `decodeAnswer`: an answer must decode strictly (an unknown field or enum name is an error), so
 *   field names, types and protojson forms are proven by an outside party, not copied.
 * - `checkRequest`: what a client sends must decode strictly and pass the official rules.
 * - `serviceVerdict`: what the service would do with a request: decode as a Connect server does
 *   (unknown fields and enum names dropped), then apply the rules.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  createRegistry,
  type DescFile,
  type DescMessage,
  fromJson,
  getOption,
  hasOption,
  type JsonValue,
  type Registry,
} from "@bufbuild/protobuf";
import { fileDesc } from "@bufbuild/protobuf/codegenv2";
import {
  file_google_protobuf_any,
  file_google_protobuf_descriptor,
  file_google_protobuf_duration,
  file_google_protobuf_timestamp,
} from "@bufbuild/protobuf/wkt";
import { createValidator, type Validator } from "@bufbuild/protovalidate";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** ../shared/spec/descriptors relative to the repository root (CI lays shared/ beside the clone). */
const DESCRIPTORS_DIR = resolve(REPO_ROOT, "..", "shared", "spec", "descriptors");
const SERVICE = "gitpod.v1.RunnerConfigurationService";

interface Official {
  registry: Registry;
  validator: Validator;
  /** Method name → its request and response message. */
  methods: Map<string, { input: DescMessage; output: DescMessage }>;
  /** The descriptors' own `(buf.validate.message).disabled`: the service validates nothing there. */
  validationDisabled(message: DescMessage): boolean;
}

let loaded: Official | undefined;

function load(): Official {
  if (!existsSync(DESCRIPTORS_DIR)) {
    throw new Error(
      `the witness needs the official descriptors at ${DESCRIPTORS_DIR} (../shared/spec/descriptors beside the clone, as CI lays it out)`,
    );
  }
  const read = (name: string) => readFileSync(join(DESCRIPTORS_DIR, `${name}.proto.b64`), "utf8").trim();
  // In dependency order (descriptors/README.md), the well-known types from @bufbuild/protobuf/wkt.
  const validate = fileDesc(read("buf.validate.validate"), [
    file_google_protobuf_descriptor,
    file_google_protobuf_duration,
    file_google_protobuf_timestamp,
  ]);
  const openapi = fileDesc(read("gnostic.openapi.v3.openapiv3"), [file_google_protobuf_any]);
  const annotations = fileDesc(read("gnostic.openapi.v3.annotations"), [
    openapi,
    file_google_protobuf_descriptor,
  ]);
  const model = fileDesc(read("gitpod.v1.model"), []);
  const pagination = fileDesc(read("gitpod.v1.pagination"), [validate]);
  const identity = fileDesc(read("gitpod.v1.identity"), [validate]);
  const runnerConfiguration: DescFile = fileDesc(read("gitpod.v1.runner_configuration"), [
    validate,
    identity,
    model,
    pagination,
    annotations,
    file_google_protobuf_timestamp,
  ]);
  const registry = createRegistry(runnerConfiguration, model, pagination, identity, validate);
  const service = runnerConfiguration.services.find((candidate) => candidate.typeName === SERVICE);
  if (!service) throw new Error(`the descriptors do not describe ${SERVICE}`);
  const methods = new Map(service.methods.map((method) => [method.name, method]));
  const messageRules = validate.extensions.find((extension) => extension.name === "message");
  const disabledField = messageRules?.message?.fields.find((field) => field.name === "disabled");
  return {
    registry,
    validator: createValidator({ registry }),
    methods,
    validationDisabled(message) {
      if (!messageRules || !disabledField || !hasOption(message, messageRules)) return false;
      const rules = getOption(message, messageRules) as Record<string, unknown>;
      return rules[disabledField.localName] === true;
    },
  };
}

function official(): Official {
  loaded ??= load();
  return loaded;
}

/** The 21 method names of the service, as the descriptors list them. */
export function officialMethodNames(): string[] {
  return [...official().methods.keys()];
}

function method(rpc: string): { input: DescMessage; output: DescMessage } {
  const found = official().methods.get(rpc);
  if (!found) throw new Error(`${rpc} is not a method of ${SERVICE} in the official descriptors`);
  return found;
}

function parse(text: string): JsonValue {
  return (text.trim() === "" ? {} : JSON.parse(text)) as JsonValue;
}

/** Why an answer does not decode strictly with the official response message, or undefined. */
export function decodeAnswer(rpc: string, responseText: string): string | undefined {
  const { output } = method(rpc);
  try {
    fromJson(output, parse(responseText), { registry: official().registry });
    return undefined;
  } catch (error) {
    return `answer of ${rpc} does not decode as ${output.typeName}: ${(error as Error).message}`;
  }
}

/** A rule violation in words: `runnerId: string.uuid (must be a valid UUID)`. */
function violationsOf(message: DescMessage, decoded: ReturnType<typeof fromJson>): string[] {
  const { validator, validationDisabled } = official();
  if (validationDisabled(message)) return [];
  const result = validator.validate(message, decoded);
  if (result.kind === "valid") return [];
  if (result.kind === "error") return [`the rules could not be evaluated: ${result.error.message}`];
  return result.violations.map((violation) => {
    const path = violation.field
      .map((part) =>
        part.kind === "list_sub"
          ? `[${part.index}]`
          : part.kind === "map_sub"
            ? `[${String(part.key)}]`
            : `.${part.kind === "field" ? part.jsonName : part.name}`,
      )
      .join("")
      .replace(/^\./, "");
    return `${path || "(message)"}: ${violation.ruleId} (${violation.message})`;
  });
}

/** Problems of a request a client sent: strict decoding, then the official rules. */
export function checkRequest(rpc: string, requestText: string): string[] {
  const { input } = method(rpc);
  let decoded: ReturnType<typeof fromJson>;
  try {
    decoded = fromJson(input, parse(requestText), { registry: official().registry });
  } catch (error) {
    return [`request of ${rpc} does not decode strictly as ${input.typeName}: ${(error as Error).message}`];
  }
  return violationsOf(input, decoded);
}

/** What the service does with a request body: "refused" (with why) or "accepted" by decoding and rules. */
export function serviceVerdict(
  rpc: string,
  body: unknown,
): { verdict: "refused" | "accepted"; why: string[] } {
  const { input } = method(rpc);
  let decoded: ReturnType<typeof fromJson>;
  try {
    // A Connect server reads JSON with DiscardUnknown: unknown fields and enum names are dropped.
    decoded = fromJson(input, body as JsonValue, {
      registry: official().registry,
      ignoreUnknownFields: true,
    });
  } catch (error) {
    return { verdict: "refused", why: [(error as Error).message] };
  }
  const why = violationsOf(input, decoded);
  return { verdict: why.length > 0 ? "refused" : "accepted", why };
}
