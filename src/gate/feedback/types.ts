import type { BuildError, TestFailure } from "../../model/feedback.ts";

export type { BuildError, TestFailure } from "../../model/feedback.ts";

/** What one parser found in one check's output. */
export interface ParsedFailures {
  buildErrors: BuildError[];
  failures: TestFailure[];
}

export interface ParseOptions {
  /**
   * The Go module path (from go.mod). `go test` prints test file names relative to the package
   * directory; with the module path the package's import path maps back to a repository directory.
   * When absent it is inferred from the output where possible.
   */
  goModule?: string;
}

/**
 * A finding with its position in the output, so that findings of several parsers can be merged in
 * the order they happened. `weak` marks findings that only echo another one (make's "Error 2" for a
 * failed recipe, go's bare `--- FAIL: TestSuite` wrapping a Ginkgo suite): they are kept only when
 * nothing more precise was found.
 */
export type Finding =
  | { kind: "build"; offset: number; weak?: boolean; error: BuildError }
  | { kind: "test"; offset: number; weak?: boolean; failure: TestFailure };

/** A parser over cleaned output (ANSI stripped, carriage returns resolved, paths relativized). */
export type Scanner = (text: string, options: ParseOptions) => Finding[];
