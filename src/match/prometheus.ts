/**
 * The one Prometheus text exposition parser (format 0.0.4, what `/metrics` of the API server, the
 * kubelet, CoreDNS and client_golang servers answer), and the series selectors the metrics operation
 * asserts with (`name{label="v",other=~"re"}`), which share its label grammar.
 *
 * Hand-written on purpose (DESIGN.md): the format is small, and assertions need every sample, the
 * family it belongs to (histogram `_bucket`/`_sum`/`_count` lines belong to their family) and
 * errors that say which line is wrong.
 */

export type MetricType = "counter" | "gauge" | "histogram" | "summary" | "untyped";

export interface Sample {
  /** The sample's own name (`x_bucket` for a histogram bucket of family `x`). */
  name: string;
  labels: Record<string, string>;
  value: number;
  timestamp?: number;
}

export interface MetricFamily {
  name: string;
  type: MetricType;
  help?: string;
  samples: Sample[];
}

export interface Exposition {
  /** Families by name, in the order they appear. */
  families: Map<string, MetricFamily>;
}

export class ExpositionError extends Error {
  override name = "ExpositionError";
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

const METRIC_TYPES: readonly string[] = ["counter", "gauge", "histogram", "summary", "untyped"];
const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;

/** Parses a whole exposition; throws `ExpositionError` naming the first malformed line. */
export function parseExposition(text: string): Exposition {
  const families = new Map<string, MetricFamily>();
  const familyOf = (name: string): MetricFamily => {
    const existing = families.get(name);
    if (existing) return existing;
    const created: MetricFamily = { name, type: "untyped", samples: [] };
    families.set(name, created);
    return created;
  };
  text.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    const lineNo = index + 1;
    if (line === "") return;
    if (line.startsWith("#")) {
      parseComment(line, lineNo, familyOf);
      return;
    }
    const sample = parseSampleLine(line, lineNo);
    familyOf(familyName(sample.name, families)).samples.push(sample);
  });
  return { families };
}

function parseComment(line: string, lineNo: number, familyOf: (name: string) => MetricFamily): void {
  const found = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s+(.*))?$/.exec(line);
  // Other comments carry no meaning in the format.
  if (!found) return;
  const [, keyword, name = "", rest = ""] = found;
  if (!NAME.test(name) || NAME.exec(name)?.[0] !== name)
    throw new ExpositionError(lineNo, `invalid metric name ${JSON.stringify(name)} in # ${keyword}`);
  const family = familyOf(name);
  if (keyword === "HELP") {
    family.help = rest.replace(/\\(\\|n)/g, (_, c: string) => (c === "n" ? "\n" : "\\"));
    return;
  }
  const type = rest.trim();
  if (!METRIC_TYPES.includes(type))
    throw new ExpositionError(
      lineNo,
      `unknown metric type ${JSON.stringify(type)}: expected one of ${METRIC_TYPES.join(", ")}`,
    );
  family.type = type as MetricType;
}

/** The family a sample belongs to: its own name, or a histogram's/summary's base name. */
function familyName(name: string, families: Map<string, MetricFamily>): string {
  for (const suffix of ["_bucket", "_sum", "_count"]) {
    if (!name.endsWith(suffix)) continue;
    const base = families.get(name.slice(0, -suffix.length));
    if (base && (base.type === "histogram" || base.type === "summary")) {
      if (suffix !== "_bucket" || base.type === "histogram") return base.name;
    }
  }
  return name;
}

/** A cursor over one line, for the sample grammar and the selector grammar alike. */
class Cursor {
  pos = 0;
  constructor(
    readonly text: string,
    readonly line: number,
  ) {}

  rest(): string {
    return this.text.slice(this.pos);
  }

  skipSpace(): void {
    while (this.text[this.pos] === " " || this.text[this.pos] === "\t") this.pos += 1;
  }

  take(pattern: RegExp, what: string): string {
    const found = pattern.exec(this.rest());
    if (!found) throw this.error(`expected ${what}`);
    this.pos += found[0].length;
    return found[0];
  }

  peek(): string | undefined {
    return this.text[this.pos];
  }

  error(message: string): ExpositionError {
    const near = this.rest().slice(0, 20);
    return new ExpositionError(
      this.line,
      `${message} at column ${this.pos + 1}${near ? ` (near ${JSON.stringify(near)})` : ""}`,
    );
  }
}

function parseSampleLine(line: string, lineNo: number): Sample {
  const cursor = new Cursor(line, lineNo);
  const name = cursor.take(NAME, "a metric name");
  cursor.skipSpace();
  const labels: Record<string, string> = {};
  if (cursor.peek() === "{") {
    for (const matcher of parseLabelSet(cursor)) {
      if (matcher.op !== "=")
        throw cursor.error(`a sample's labels take "=", not ${JSON.stringify(matcher.op)}`);
      labels[matcher.name] = matcher.value;
    }
  }
  cursor.skipSpace();
  const value = parseValue(cursor.take(/^\S+/, "a sample value"), cursor);
  cursor.skipSpace();
  const sample: Sample = { name, labels, value };
  if (cursor.rest() !== "") {
    const timestamp = Number(cursor.take(/^-?\d+/, "a timestamp in milliseconds or the end of the line"));
    sample.timestamp = timestamp;
    cursor.skipSpace();
    if (cursor.rest() !== "") throw cursor.error("expected the end of the line");
  }
  return sample;
}

function parseValue(text: string, cursor: Cursor): number {
  switch (text) {
    case "+Inf":
    case "Inf":
      return Infinity;
    case "-Inf":
      return -Infinity;
    case "NaN":
      return NaN;
  }
  const value = Number(text);
  if (text === "" || Number.isNaN(value))
    throw cursor.error(`expected a number, +Inf, -Inf or NaN, found ${JSON.stringify(text)}`);
  return value;
}

export type MatchOp = "=" | "!=" | "=~" | "!~";

export interface LabelMatcher {
  name: string;
  op: MatchOp;
  value: string;
}

/** `{a="x",b!="y",}`: label pairs (samples) or matchers (selectors), a trailing comma allowed. */
function parseLabelSet(cursor: Cursor): LabelMatcher[] {
  cursor.take(/^\{/, "{");
  const matchers: LabelMatcher[] = [];
  for (;;) {
    cursor.skipSpace();
    if (cursor.peek() === "}") break;
    const name = cursor.take(LABEL_NAME, "a label name or }");
    cursor.skipSpace();
    const op = cursor.take(/^(=~|!~|!=|=)/, `=, !=, =~ or !~ after label ${name}`) as MatchOp;
    cursor.skipSpace();
    matchers.push({ name, op, value: parseQuoted(cursor) });
    cursor.skipSpace();
    if (cursor.peek() === ",") cursor.pos += 1;
    else if (cursor.peek() !== "}") throw cursor.error(`expected , or } after label ${name}`);
  }
  cursor.pos += 1;
  return matchers;
}

function parseQuoted(cursor: Cursor): string {
  if (cursor.peek() !== '"') throw cursor.error("expected a quoted label value");
  let out = "";
  for (let i = cursor.pos + 1; i < cursor.text.length; i += 1) {
    const c = cursor.text[i];
    if (c === '"') {
      cursor.pos = i + 1;
      return out;
    }
    if (c === "\\") {
      const next = cursor.text[i + 1];
      out += next === "n" ? "\n" : (next ?? "");
      i += 1;
    } else out += c;
  }
  throw cursor.error("unterminated label value");
}

/** A series selector: a metric name and label matchers (any order), as PromQL writes them. */
export interface SeriesSelector {
  name: string;
  matchers: LabelMatcher[];
}

/** Parses `name{label="v",other=~"re"}`; throws `ExpositionError` (line 1) when it is not one. */
export function parseSelector(text: string): SeriesSelector {
  const cursor = new Cursor(text.trim(), 1);
  const name = cursor.take(NAME, "a metric name");
  cursor.skipSpace();
  const matchers = cursor.peek() === "{" ? parseLabelSet(cursor) : [];
  cursor.skipSpace();
  if (cursor.rest() !== "") throw cursor.error("expected the end of the selector");
  for (const m of matchers) if (m.op === "=~" || m.op === "!~") anchored(m.value);
  return { name, matchers };
}

/** PromQL's regex matchers are anchored at both ends. */
function anchored(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`);
}

export function labelsMatch(labels: Record<string, string>, matchers: readonly LabelMatcher[]): boolean {
  return matchers.every((m) => {
    // An absent label is the empty string, as in PromQL.
    const actual = labels[m.name] ?? "";
    switch (m.op) {
      case "=":
        return actual === m.value;
      case "!=":
        return actual !== m.value;
      case "=~":
        return anchored(m.value).test(actual);
      case "!~":
        return !anchored(m.value).test(actual);
    }
  });
}

/** The samples of `exposition` the selector picks (by sample name, so `x_bucket{le="1"}` works). */
export function selectSamples(exposition: Exposition, selector: SeriesSelector): Sample[] {
  const out: Sample[] = [];
  for (const family of exposition.families.values()) {
    for (const sample of family.samples) {
      if (sample.name === selector.name && labelsMatch(sample.labels, selector.matchers)) out.push(sample);
    }
  }
  return out;
}

/** `name{a="x",b="y"}` for messages, labels sorted. */
export function formatSeries(name: string, labels: Record<string, string>): string {
  const pairs = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`);
  return pairs.length > 0 ? `${name}{${pairs.join(",")}}` : name;
}

export function formatSelector(selector: SeriesSelector): string {
  const parts = selector.matchers.map((m) => `${m.name}${m.op}${JSON.stringify(m.value)}`);
  return parts.length > 0 ? `${selector.name}{${parts.join(",")}}` : selector.name;
}
