/** The message of anything thrown: an `Error`'s message, anything else as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Anything thrown as an `Error`, for code that rethrows it or keeps it as a cause. */
export function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
