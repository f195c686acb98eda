import type { LoadWarning, PathSegment, SourceDocument, SourceLocation } from "../model/index.ts";

/**
 * Problems in what a user wrote, each with the position to jump to. Every layer may raise them:
 * loaders, the configuration, the gate's own file, an operation's conversion.
 */

export interface LoadErrorInit {
  file: string;
  /** 1-based; 0 when the problem has no position (a missing path, an unreadable file). */
  line: number;
  col: number;
  message: string;
  /** The field the message is about, e.g. `spec.steps[0].try[1].apply`. */
  path?: string;
  /** What would have been accepted, e.g. `one of file, resource`. */
  expected?: string;
  /** What to do about it, e.g. `did you mean "file"?`. */
  hint?: string;
}

/** One problem in an input file, with the position a user (or an automated coder) can jump to. */
export class LoadError extends Error {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly path?: string;
  readonly expected?: string;
  readonly hint?: string;

  constructor(init: LoadErrorInit) {
    super(init.message);
    this.name = "LoadError";
    this.file = init.file;
    this.line = init.line;
    this.col = init.col;
    if (init.path !== undefined && init.path !== "") this.path = init.path;
    if (init.expected !== undefined) this.expected = init.expected;
    if (init.hint !== undefined) this.hint = init.hint;
  }

  get location(): SourceLocation {
    return { file: this.file, line: this.line, col: this.col };
  }

  format(): string {
    return formatLoadError(this);
  }

  override toString(): string {
    return this.format();
  }
}

/**
 * Every problem found while loading, reported together so one run shows them all. Thrown by the
 * loaders and discovery; the CLI maps it to exit code 2 (nothing was applied to a cluster).
 */
export class LoadErrors extends Error {
  readonly errors: readonly LoadError[];

  constructor(errors: readonly LoadError[]) {
    super(errors.map((e) => e.format()).join("\n"));
    this.name = "LoadErrors";
    this.errors = errors;
  }
}

/** `file:line:col: path: message — expected …; hint` */
export function formatLoadError(e: LoadError): string {
  return `${where(e)}: ${describe(e)}`;
}

/** `file:line:col`, or the file alone when the problem is about the whole file (line 0). */
function where(at: SourceLocation): string {
  return at.line > 0 ? `${at.file}:${at.line}:${at.col}` : at.file;
}

/** `path: message — expected …; hint`: a load error without its place. */
function describe(e: LoadError): string {
  let out = e.path === undefined ? "" : `${e.path}: `;
  out += e.message;
  if (e.expected !== undefined) out += ` — expected ${e.expected}`;
  if (e.hint !== undefined) out += `; ${e.hint}`;
  return out;
}

/**
 * Loaders collect warnings as `LoadError`s (positions, hints, one sort); the suite carries them as the
 * model's plain `LoadWarning`s, which reporters read.
 */
export function toLoadWarnings(warnings: readonly LoadError[]): LoadWarning[] {
  return sortErrors(warnings).map((w) => ({ file: w.file, line: w.line, col: w.col, message: describe(w) }));
}

/** `spec.steps[0].try[1].apply` */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (typeof segment === "string" && /^[A-Za-z_$][\w$-]*$/.test(segment))
      out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

/** A LoadError positioned at `path` in `doc` (map keys point at the key). */
export function errorAt(
  doc: SourceDocument,
  path: readonly PathSegment[],
  detail: { message: string; expected?: string; hint?: string; path?: readonly PathSegment[] },
): LoadError {
  const loc = doc.locate(path);
  return new LoadError({ ...loc, ...detail, path: formatPath(detail.path ?? path) });
}

/** Sorts by position and drops exact duplicates, so a report reads top to bottom. */
export function sortErrors(errors: readonly LoadError[]): LoadError[] {
  const seen = new Set<string>();
  const out: LoadError[] = [];
  for (const e of [...errors].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col,
  )) {
    const key = e.format();
    if (!seen.has(key)) {
      seen.add(key);
      out.push(e);
    }
  }
  return out;
}

/** `warning: file[:line:col]: message`, as the run and `--list` print load warnings. */
export function formatLoadWarning(warning: LoadWarning): string {
  return `warning: ${where(warning)}: ${warning.message}`;
}
