/**
 * ValidateRunnerConfiguration answers an SCM integration check with up to four error strings
 * (hostError, oauthError, patError, scmIdError). This turns them into words a person can act on.
 */
import type { ScmIntegrationValidationResult } from "../api/resources/validate.wire.js";

type ScmValidationField = "hostError" | "oauthError" | "patError" | "scmIdError";

interface ScmValidationProblem {
  field: ScmValidationField;
  /** What the problem is about, e.g. "OAuth client id and secret". */
  label: string;
  /** The API's explanation, as sent. */
  message: string;
}

export interface ScmValidationDescription {
  valid: boolean;
  problems: ScmValidationProblem[];
  /** One line: "valid" or every problem, e.g. "OAuth client id and secret: the secret was rejected". */
  summary: string;
}

const SCM_VALIDATION_LABELS: Readonly<Record<ScmValidationField, string>> = {
  oauthError: "OAuth client id and secret",
  hostError: "Host",
  scmIdError: "SCM provider",
  patError: "Personal access tokens",
};

const FIELD_ORDER: readonly ScmValidationField[] = ["oauthError", "hostError", "scmIdError", "patError"];

/**
 * Valid only when the API says `valid: true` and reports no error (proto3 JSON omits `false`, so a
 * missing flag is not a yes).
 */
export function describeScmValidation(
  result: ScmIntegrationValidationResult | undefined,
): ScmValidationDescription {
  const problems: ScmValidationProblem[] = [];
  for (const field of FIELD_ORDER) {
    const message = result?.[field]?.trim();
    if (message) problems.push({ field, label: SCM_VALIDATION_LABELS[field], message });
  }
  const valid = result?.valid === true && problems.length === 0;
  if (valid) return { valid, problems, summary: "valid" };
  if (problems.length === 0) {
    return { valid, problems, summary: "not confirmed valid (the API reported no specific error)" };
  }
  return {
    valid,
    problems,
    summary: problems.map((problem) => `${problem.label}: ${problem.message}`).join("; "),
  };
}
