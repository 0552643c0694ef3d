import { GitpodApiError } from "../api/errors.js";

/**
 * Runs a delete; "not found" means it is already gone (a retried delete, or someone else deleted
 * it), so the desired state holds and that is no error.
 */
export async function deleteUnlessGone(
  remove: (request: { id: string }) => Promise<unknown>,
  id: string,
): Promise<void> {
  try {
    await remove({ id });
  } catch (error) {
    if (!(error instanceof GitpodApiError && error.code === "not_found")) throw error;
  }
}
