/** Bad flags or input: exit code 2, and nothing was done to a cluster. */
export class UsageError extends Error {
  override name = "UsageError";
}

export function parseInteger(
  flag: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new UsageError(`${flag} expects a whole number from ${min} to ${max}, got "${value}"`);
    }
    return n;
  };
}
