import {
  isAlias,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  visit,
  type Document,
  type Node,
  type Pair,
  type ScalarTag,
  type Tags,
  type YAMLMap,
} from "yaml";
import type { PathSegment, SourceDocument, SourceLocation } from "../model/index.ts";
import { LoadError, LoadErrors } from "./diagnostics.ts";
import { errorMessage } from "./errors.ts";

/**
 * YAML → SourceDocuments that remember where every node came from. The `yaml` package keeps node
 * ranges, which is the whole reason it was chosen: every later message (schema errors, failing
 * assertion keys, template errors) can point at `file:line:col` in the user's own file.
 */

/** Parse options shared by every YAML read, so tests and referenced manifests behave the same. */
const PARSE_OPTIONS = {
  // Go's YAML libraries (and so Chainsaw and kubectl) honour `<<` merge keys.
  merge: true,
  prettyErrors: false,
  keepSourceTokens: false,
  // Go's YAML parsers (kuttl's, Chainsaw's) keep the last of duplicated keys, and public suites rely
  // on it: duplicates are accepted here too, the last value wins, and each is reported as a warning.
  uniqueKeys: false,
} as const;

export interface YamlParseResult {
  documents: SourceDocument[];
  errors: LoadError[];
  /** Accepted, but worth saying: duplicated keys (the last value is kept). */
  warnings: LoadError[];
}

export interface YamlParseOptions {
  /**
   * kuttl splits files itself before decoding them, and its splitter also takes a line of four or more
   * dashes (`----`) as a document separator, where YAML would read a plain scalar.
   */
  kuttlSeparators?: boolean;
  /**
   * YAML 1.1, as PyYAML reads it (vk-test-set): `yes`/`no`/`on`/`off` are booleans, `0755` is octal.
   */
  yaml11?: boolean;
}

/** Every non-empty document in `text`. `file` is the path shown in locations (usually relative). */
export function parseYamlDocuments(
  text: string,
  file: string,
  options: YamlParseOptions = {},
): YamlParseResult {
  const lineCounter = new LineCounter();
  const source = options.kuttlSeparators === true ? kuttlSeparators(text) : text;
  const docs = parseAllDocuments(source, {
    ...PARSE_OPTIONS,
    lineCounter,
    ...(options.yaml11 === true ? { version: "1.1" as const, customTags: pyyamlBooleans } : {}),
  });
  const position = (offset: number): SourceLocation => {
    // Errors found at end of input (an unclosed quote) point at the last character, not past it.
    const clamped = offset >= text.length ? text.length - 1 : offset;
    const { line, col } = lineCounter.linePos(Math.max(0, clamped));
    return { file, line, col };
  };
  const documents: SourceDocument[] = [];
  const errors: LoadError[] = [];
  const warnings: LoadError[] = [];
  // A stream holding no document at all (only comments) comes back as an empty list or an EmptyStream.
  const list: readonly Document.Parsed[] = Array.isArray(docs) ? docs : [];
  for (const doc of list) {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        errors.push(
          new LoadError({ ...position(e.pos[0]), message: yamlMessage(e.message), expected: "valid YAML" }),
        );
      }
      continue;
    }
    if (doc.contents === null) continue;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (err) {
      const offset = doc.contents.range[0];
      errors.push(new LoadError({ ...position(offset), message: errorMessage(err) }));
      continue;
    }
    warnings.push(...duplicateKeys(doc, position));
    if (value === null || value === undefined) continue;
    documents.push(new YamlSourceDocument(value, doc, position));
  }
  return { documents, errors, warnings };
}

/**
 * PyYAML's booleans: YAML 1.1's without the single letters `y` / `n` (PyYAML reads them as strings,
 * and `namespace: n` must stay a name).
 */
function pyyamlBooleans(tags: Tags): Tags {
  const bool = (value: boolean, test: RegExp): ScalarTag => ({
    identify: (v) => v === value,
    default: true,
    tag: "tag:yaml.org,2002:bool",
    test,
    resolve: () => value,
  });
  return [
    bool(true, /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/),
    bool(false, /^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/),
    ...tags.filter((tag) => typeof tag === "string" || tag.tag !== "tag:yaml.org,2002:bool"),
  ];
}

/** `----` lines become `---` padded to the same length, so that every offset stays where it was. */
function kuttlSeparators(text: string): string {
  return text.replace(/^-{4,}(?=[ \t]*(?:#.*)?\r?$)/gm, (dashes) => `---${" ".repeat(dashes.length - 3)}`);
}

/** A warning for every key that repeats one before it in the same mapping. */
function duplicateKeys(doc: Document.Parsed, position: (offset: number) => SourceLocation): LoadError[] {
  const warnings: LoadError[] = [];
  visit(doc, {
    Map(_key, map) {
      const seen = new Map<string, Pair>();
      for (const pair of map.items) {
        if (!isScalar(pair.key) || isMergeKey(pair.key.value)) continue;
        const name = String(pair.key.value);
        const earlier = seen.get(name);
        seen.set(name, pair);
        const at = startOf(pair.key);
        if (earlier === undefined || at === undefined) continue;
        const before = position(startOf(earlier.key) ?? at);
        warnings.push(
          new LoadError({
            ...position(at),
            message: `duplicate key ${JSON.stringify(name)}: this value replaces the one at line ${before.line}, as Go's YAML parsers do`,
            hint: "remove one of the two keys",
          }),
        );
      }
    },
  });
  return warnings;
}

/** Like `parseYamlDocuments`, but throws `LoadErrors` on any syntax error (warnings are dropped). */
export function parseYaml(text: string, file: string): SourceDocument[] {
  const { documents, errors } = parseYamlDocuments(text, file);
  if (errors.length > 0) throw new LoadErrors(errors);
  return documents;
}

/** The part of `doc` at `path` as a document of its own (an inline `resource:`, a List item). */
export function subDocument(doc: SourceDocument, path: readonly PathSegment[]): SourceDocument {
  let value: unknown = doc.value;
  for (const segment of path) {
    if (value === null || typeof value !== "object") {
      value = undefined;
      break;
    }
    value = (value as Record<string | number, unknown>)[segment];
  }
  const prefix = [...path];
  return {
    value,
    location: doc.locate(prefix),
    locate: (rest) => doc.locate([...prefix, ...rest]),
  };
}

class YamlSourceDocument implements SourceDocument {
  readonly location: SourceLocation;

  constructor(
    readonly value: unknown,
    private readonly doc: Document.Parsed,
    private readonly position: (offset: number) => SourceLocation,
  ) {
    this.location = position(doc.contents?.range[0] ?? doc.range[0]);
  }

  locate(path: readonly PathSegment[]): SourceLocation {
    return this.position(this.offsetOf(path));
  }

  private offsetOf(path: readonly PathSegment[]): number {
    let node: unknown = this.doc.contents;
    let offset = startOf(node) ?? this.doc.range[0];
    for (const segment of path) {
      node = this.resolve(node);
      if (isMap(node)) {
        const pair = this.findPair(node, segment, 0);
        if (pair === undefined) return offset;
        offset = startOf(pair.key) ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === "number") {
        const item: unknown = node.items[segment];
        const start = startOf(this.resolve(item)) ?? startOf(item);
        if (start === undefined) return offset;
        offset = start;
        node = item;
      } else {
        return offset;
      }
    }
    return offset;
  }

  private resolve(node: unknown): unknown {
    return isAlias(node) ? node.resolve(this.doc) : node;
  }

  /**
   * The pair for `key`, looking through `<<` merge keys the way the parsed value does; of duplicated
   * keys the last, whose value is the one kept.
   */
  private findPair(map: YAMLMap, key: PathSegment, depth: number): Pair | undefined {
    const wanted = String(key);
    const own = map.items.filter(
      (item): item is Pair => isPair(item) && isScalar(item.key) && String(item.key.value) === wanted,
    );
    if (own.length > 0) return own[own.length - 1];
    if (depth > 10) return undefined;
    for (const item of map.items) {
      if (!isPair(item) || !isScalar(item.key) || !isMergeKey(item.key.value)) continue;
      const sources = isSeq(item.value) ? item.value.items : [item.value];
      for (const source of sources) {
        const target = this.resolve(source);
        if (isMap(target)) {
          const found = this.findPair(target, key, depth + 1);
          if (found !== undefined) return found;
        }
      }
    }
    return undefined;
  }
}

/** With `merge: true` the parser turns a `<<` key into a symbol; accept both forms. */
function isMergeKey(value: unknown): boolean {
  return value === "<<" || (typeof value === "symbol" && value.description === "<<");
}

function startOf(node: unknown): number | undefined {
  if (isNode(node)) {
    const range = (node as Node).range;
    return range === null || range === undefined ? undefined : range[0];
  }
  return undefined;
}

/** The yaml package's messages end with a position we already print in front. */
function yamlMessage(message: string): string {
  return message.replace(/ at line \d+, column \d+:?[\s\S]*$/, "").trim();
}
