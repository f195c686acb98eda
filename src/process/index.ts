/** The one process launcher and output capture; see DEPS.md for who may use it. */
export { incompleteEscapeStart, stripAnsi } from "./ansi.ts";
export { lineStream, OutputCapture, type CaptureOptions, type OutputStream } from "./capture.ts";
export { groupRunning, isRunning, signalGroup, stopGroup } from "./group.ts";
export {
  launchProcess,
  PIPE_GRACE_MS,
  type AfterExit,
  type LaunchedProcess,
  type LaunchOptions,
  type OutputTarget,
  type ProcessExit,
} from "./launch.ts";
export { commandFailure, runCommand, type CommandResult, type RunCommandOptions } from "./run.ts";
export { TailBuffer, tailText } from "./tail.ts";
