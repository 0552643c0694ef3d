/** The credential-rotation protocol, shared by the Slack bot and scheduled rotation. */
export { KeyedLock, rotationLock } from "./lock.js";
export { rotateScmCredentials } from "./protocol.js";
export { summarizeTokens, type TokenSummary } from "./token-summary.js";
export type {
  CredentialsApi,
  RotationApi,
  RotationOptions,
  RotationOutcome,
  RotationRequest,
  RotationResult,
  RotationStep,
  RotationStepName,
  RotationStepStatus,
} from "./types.js";
export { scmValidationInput, validateStoredCredentials } from "./validate-stored.js";
export {
  describeScmValidation,
  SCM_VALIDATION_LABELS,
  type ScmValidationDescription,
  type ScmValidationField,
  type ScmValidationProblem,
} from "./validation-in-words.js";
