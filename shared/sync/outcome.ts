/** Thrown by a resource's apply when it cannot tell whether its write took effect. */
export class OutcomeUnknownError extends Error {
  override readonly name = "OutcomeUnknownError";
}
