/**
 * CEL (Common Expression Language) for Chainsaw's `compiler: cel` / `(cel; ...)` expressions and
 * kuttl's `assertAll` / `assertAny`, evaluated with @marcbachmann/cel-js: a maintained, dependency-free
 * implementation of the CEL spec (macros, optional chaining, heterogeneous numeric comparison) that
 * works on plain JavaScript values. See docs/test.md for why it was chosen over the alternatives.
 *
 * What an expression sees:
 * - Chainsaw's variables: `object` (the node being templated or asserted, `@` in JMESPath) and
 *   `bindings`, whose `bindings.resolve("name")` gives `$name`;
 * - every binding as a variable of its own name too (`name` for `$name`), as kuttl names its
 *   resourceRefs. A binding never hides `object` or `bindings`.
 *
 * JSON numbers are CEL `int` when whole and `double` otherwise, as Kubernetes converts them; results
 * come back as JSON values (ints as numbers).
 */
import { errorMessage } from "../source/errors.ts";
import { createRequire } from "node:module";
import type { Environment } from "@marcbachmann/cel-js";
import type { Bindings } from "./bindings.ts";

class CelBindings {
  constructor(readonly values: Readonly<Record<string, unknown>>) {}
}

const CEL_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED = new Set(["object", "bindings"]);

let environment: Environment | undefined;

/**
 * The CEL environment, built on first use: most suites have no CEL, and loading the library costs
 * about 9 MiB of the CLI's memory. `require` because evaluation is synchronous (Node ≥ 20.19 loads
 * this ES module with it).
 */
function cel(): Environment {
  if (environment !== undefined) return environment;
  const { Environment: CelEnvironment } = createRequire(import.meta.url)(
    "@marcbachmann/cel-js",
  ) as typeof import("@marcbachmann/cel-js");
  environment = new CelEnvironment({
    unlistedVariablesAreDyn: true,
    homogeneousAggregateLiterals: false,
    enableOptionalTypes: true,
  })
    .registerType("Bindings", CelBindings)
    .registerVariable("bindings", "Bindings")
    .registerVariable("object", "dyn")
    .registerFunction({
      name: "resolve",
      receiverType: "Bindings",
      returnType: "dyn",
      handler: (b: CelBindings, name: string) => {
        if (!Object.hasOwn(b.values, name)) throw new Error(`binding ${JSON.stringify(name)} not found`);
        return b.values[name];
      },
      params: [{ name: "name", type: "string" }],
    });
  return environment;
}

export class CelError extends Error {
  override name = "CelError";
}

/** Evaluates `statement` with `input` as `object` and the bindings as described above. */
export function evaluateCel(statement: string, input: unknown, bindings: Bindings): unknown {
  const values: Record<string, unknown> = {};
  for (const name of bindings.names()) values[name] = toCel(bindings.get(name));
  return evaluateCelWith(statement, { ...values, object: toCel(input ?? null) }, values);
}

/** Evaluates `statement` with exactly these variables (kuttl's resourceRefs), plus `bindings`. */
export function evaluateCelWith(
  statement: string,
  variables: Readonly<Record<string, unknown>>,
  bindingValues: Readonly<Record<string, unknown>> = {},
): unknown {
  const context: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(variables)) {
    if (CEL_IDENTIFIER.test(name) && !RESERVED.has(name)) context[name] = toCel(value);
  }
  context.object = variables.object === undefined ? null : toCel(variables.object);
  context.bindings = new CelBindings(bindingValues);
  try {
    return fromCel(cel().evaluate(statement.trim(), context));
  } catch (error) {
    throw new CelError(firstLine(errorMessage(error)));
  }
}

/** Whether `statement` parses as CEL; the parser's message when it does not. */
export function celSyntaxError(statement: string): string | undefined {
  try {
    cel().parse(statement.trim());
    return undefined;
  } catch (error) {
    return firstLine(errorMessage(error));
  }
}

/**
 * kuttl's load-time check (cel-go's `env.Compile`: parse, then type-check) in an environment that
 * declares only `variables`, each of type dyn, as kuttl declares its resourceRefs: an undeclared name
 * or an impossible operation stops the load. Optional syntax (`.?`) is not enabled, as in kuttl's
 * environment. Assumes the statement parses (see celSyntaxError). The checker's message, or undefined.
 */
export function celCheckError(statement: string, variables: readonly string[]): string | undefined {
  const { Environment: CelEnvironment } = createRequire(import.meta.url)(
    "@marcbachmann/cel-js",
  ) as typeof import("@marcbachmann/cel-js");
  let env = new CelEnvironment({ unlistedVariablesAreDyn: false, homogeneousAggregateLiterals: false });
  for (const name of new Set(variables))
    if (CEL_IDENTIFIER.test(name)) env = env.registerVariable(name, "dyn");
  let result;
  try {
    result = env.check(statement.trim());
  } catch (error) {
    return firstLine(errorMessage(error));
  }
  if (result.valid) return undefined;
  const message = firstLine(errorMessage(result.error));
  // cel-go's wording, which kuttl prints (and its own tests look for).
  const unknown = /^Unknown variable: (\S+)$/.exec(message);
  return unknown === null ? message : `undeclared reference to '${unknown[1] ?? ""}'`;
}

function firstLine(message: string): string {
  return message.split("\n")[0]?.trim() ?? message;
}

/** JSON → CEL values: whole numbers become int (bigint). */
function toCel(value: unknown): unknown {
  if (typeof value === "number") return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCel);
  if (value instanceof CelBindings || value instanceof Uint8Array) return value;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toCel(v)]));
  }
  return value;
}

/** CEL → JSON values: ints become numbers, maps plain objects. */
function fromCel(value: unknown): unknown {
  if (typeof value === "bigint") return Number(value);
  if (Array.isArray(value)) return value.map(fromCel);
  if (value instanceof Map) {
    return Object.fromEntries([...value.entries()].map(([k, v]) => [String(k), fromCel(v)]));
  }
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromCel(v)]));
  }
  return value;
}
