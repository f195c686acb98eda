/** Where something came from, for `file:line:col` in every message. Lines and columns are 1-based. */
export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}

export type PathSegment = string | number;

/**
 * A YAML/JSON document with the location of each of its nodes, so that a failing assertion key or a
 * template error can point at the exact place in the user's file.
 */
export interface SourceDocument {
  /** The parsed value (plain JSON-like data). */
  value: unknown;
  /** Where the document starts. */
  location: SourceLocation;
  /** The location of the node at `path` (map keys point at the key), or the nearest ancestor's. */
  locate(path: readonly PathSegment[]): SourceLocation;
}

export function formatLocation(loc: SourceLocation): string {
  return `${loc.file}:${loc.line}:${loc.col}`;
}
