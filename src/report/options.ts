import pc from "picocolors";
import type { Colors } from "./text.ts";

/** What every reporter is constructed with; each one reads only what it needs. */
export interface ReporterOptions {
  /** Terminal reporters and `github` write here (default `process.stdout`). */
  stream?: NodeJS.WritableStream;
  /** File reporters (`junit`, `json`, `html`) write here instead of their default file under `reportDir`. */
  outputFile?: string;
  /** Where file reporters write by default (`<reportDir>/junit.xml`, `<reportDir>/report.json`). */
  reportDir: string;
  /** Colour terminal output; default: picocolors' detection for stdout/stderr, `isTTY` for other streams. */
  color?: boolean;
  /** Milliseconds since the epoch; injectable so tests get stable live lines and timestamps. */
  now?: () => number;
  /** Environment read by `github` (`GITHUB_WORKSPACE`) and by `defaultReporterNames`. */
  env?: NodeJS.ProcessEnv;
  /** kubeproof's version, recorded in the JSON report's `results.tool.version`. */
  version?: string;
  /** The command line that started the run, as the HTML report shows it. */
  commandLine?: string;
}

export function isTTY(stream: NodeJS.WritableStream): boolean {
  return "isTTY" in stream && stream.isTTY === true;
}

/** Terminal width for live lines; 80 when the stream does not say. */
export function columns(stream: NodeJS.WritableStream): number {
  return "columns" in stream && typeof stream.columns === "number" && stream.columns > 0
    ? stream.columns
    : 80;
}

export function rows(stream: NodeJS.WritableStream): number {
  return "rows" in stream && typeof stream.rows === "number" && stream.rows > 0 ? stream.rows : 24;
}

export function resolveColors(stream: NodeJS.WritableStream, color: boolean | undefined): Colors {
  // picocolors' own detection looks at process.stdout (and honours NO_COLOR, FORCE_COLOR and CI), so it
  // only speaks for the standard streams; a file or a pipe given by a caller is plain unless it is a TTY.
  const enabled =
    color ?? (stream === process.stdout || stream === process.stderr ? pc.isColorSupported : isTTY(stream));
  return pc.createColors(enabled);
}
