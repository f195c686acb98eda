/**
 * Chainsaw's bindings: an immutable chain of named values (`$name` in expressions).
 *
 * A binding registered later hides an earlier one with the same name for everything that sees the
 * newer chain, while holders of the older chain keep seeing the old value (Chainsaw docs, "Bindings":
 * "bindings are immutable ... the last one registered in the chain will be used").
 */

/** Chainsaw checks binding names against `^\w+$` (pkg/engine/bindings/bindings.go). */
const BINDING_NAME = /^\w+$/;

export class BindingNameError extends Error {
  readonly bindingName: string;
  constructor(name: string) {
    super(
      `invalid binding name ${JSON.stringify(name)}: a binding name must match ^\\w+$ (letters, digits, _)`,
    );
    this.name = "BindingNameError";
    this.bindingName = name;
  }
}

/** Names are given without `$`; one leading `$` is tolerated because users copy names from expressions. */
export function normalizeBindingName(name: string): string {
  const bare = name.startsWith("$") ? name.slice(1) : name;
  if (!BINDING_NAME.test(bare)) throw new BindingNameError(name);
  return bare;
}

export class Bindings {
  private readonly parent: Bindings | undefined;
  private readonly entry: { name: string; value: unknown } | undefined;
  /** Chainsaw's `compiler` in force from this node on (test, step, operation, binding). */
  private readonly engine: string | undefined;
  // Expressions are evaluated far more often than chains are extended, so the flattened view is memoized.
  private record: Readonly<Record<string, unknown>> | undefined;

  private constructor(
    parent: Bindings | undefined,
    entry: { name: string; value: unknown } | undefined,
    engine?: string,
  ) {
    this.parent = parent;
    this.entry = entry;
    this.engine = engine;
  }

  private static readonly EMPTY = new Bindings(undefined, undefined);

  static empty(): Bindings {
    return Bindings.EMPTY;
  }

  /** Builds a chain from a record, in the record's key order. */
  static from(values: Readonly<Record<string, unknown>>): Bindings {
    return Bindings.EMPTY.withAll(values);
  }

  /** A new chain where `name` (without `$`) resolves to `value`; this chain is unchanged. */
  with(name: string, value: unknown): Bindings {
    return new Bindings(this, { name: normalizeBindingName(name), value });
  }

  /**
   * The same bindings, with `engine` (`jp` or `cel`) as the language of expressions that name none
   * (Chainsaw's `compiler`); undefined keeps the one in force.
   */
  withCompiler(engine: string | undefined): Bindings {
    return engine === undefined || engine === this.compiler ? this : new Bindings(this, undefined, engine);
  }

  /** The language of expressions that name none: the innermost `withCompiler`, else JMESPath. */
  get compiler(): string {
    return this.engine ?? this.parent?.compiler ?? "jp";
  }

  withAll(values: Readonly<Record<string, unknown>>): Bindings {
    return Object.entries(values).reduce<Bindings>((out, [name, value]) => out.with(name, value), this);
  }

  private static find(chain: Bindings, name: string): { name: string; value: unknown } | undefined {
    const bare = name.startsWith("$") ? name.slice(1) : name;
    for (let node: Bindings | undefined = chain; node; node = node.parent) {
      if (node.entry?.name === bare) return node.entry;
    }
    return undefined;
  }

  /** The innermost value registered under `name`, or `undefined` when there is none. */
  get(name: string): unknown {
    return Bindings.find(this, name)?.value;
  }

  has(name: string): boolean {
    return Bindings.find(this, name) !== undefined;
  }

  /** Visible names, without `$`, sorted. */
  names(): string[] {
    return Object.keys(this.toRecord()).sort();
  }

  /** The visible bindings as a plain object (innermost wins), used as the JMESPath variable scope. */
  toRecord(): Readonly<Record<string, unknown>> {
    if (this.record) return this.record;
    if (!this.entry) {
      this.record = this.parent ? this.parent.toRecord() : Object.freeze({});
      return this.record;
    }
    const base = this.parent ? this.parent.toRecord() : {};
    this.record = Object.freeze({ ...base, [this.entry.name]: this.entry.value });
    return this.record;
  }
}
