/**
 * Registration of JMESPath functions in `@jmespath-community/jmespath`, whose function table is
 * process-wide. Chainsaw's function set replaces some built-ins (its caller is a map filled with the
 * defaults first, then kyverno-json's and Chainsaw's functions, so later names win), so overriding is
 * allowed; the original built-ins stay reachable for the argument shapes Chainsaw's versions reject.
 */
import {
  registerFunction,
  TreeInterpreter,
  TYPE_ANY,
  TYPE_ARRAY,
  TYPE_ARRAY_NUMBER,
  TYPE_ARRAY_STRING,
  TYPE_BOOLEAN,
  TYPE_EXPREF,
  TYPE_NULL,
  TYPE_NUMBER,
  TYPE_OBJECT,
  TYPE_STRING,
  type InputSignature,
  type JSONValue,
} from "@jmespath-community/jmespath";

export type ArgType =
  | "any"
  | "string"
  | "number"
  | "boolean"
  | "array"
  | "object"
  | "null"
  | "expref"
  | "array[string]"
  | "array[number]";

export interface ArgSpec {
  types: ArgType[];
  optional?: boolean;
  variadic?: boolean;
}

/** A function implementation: receives evaluated arguments, returns a JSON-like value or throws. */
export type JmespathFunction = (args: unknown[]) => unknown;

const TYPE_IDS: Record<ArgType, InputSignature["types"][number]> = {
  any: TYPE_ANY,
  string: TYPE_STRING,
  number: TYPE_NUMBER,
  boolean: TYPE_BOOLEAN,
  array: TYPE_ARRAY,
  object: TYPE_OBJECT,
  null: TYPE_NULL,
  expref: TYPE_EXPREF,
  "array[string]": TYPE_ARRAY_STRING,
  "array[number]": TYPE_ARRAY_NUMBER,
};

// Snapshot taken when this module loads, before anything in kubeproof overrides a built-in.
const BUILTINS = { ...TreeInterpreter.runtime._functionTable };

/** The library's own implementation of `name`, as it was before any override. */
export function builtinFunction(name: string): JmespathFunction {
  const entry = BUILTINS[name];
  if (!entry) throw new Error(`no built-in JMESPath function ${name}()`);
  return entry._func as JmespathFunction;
}

/**
 * Registers (or replaces) a JMESPath function for every later evaluation. The runner uses this for
 * functions that need the cluster (Chainsaw's `x_k8s_get`, `x_k8s_list`, ... receive `$client` as
 * their first argument).
 */
export function registerJmespathFunction(name: string, fn: JmespathFunction, args: readonly ArgSpec[]): void {
  const signature: InputSignature[] = args.map((arg) => {
    const spec: InputSignature = { types: arg.types.map((t) => TYPE_IDS[t]) };
    if (arg.optional) spec.optional = true;
    if (arg.variadic) spec.variadic = true;
    return spec;
  });
  registerFunction(name, (resolved) => fn(resolved) as JSONValue, signature, { override: true });
}
