/** What every command gets from main: the interrupt signal and a way to set the exit code. */
export interface CliContext {
  signal: AbortSignal;
  setExitCode(code: number): void;
}
