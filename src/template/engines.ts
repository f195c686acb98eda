import type { Bindings } from "./bindings.ts";
import { evaluateCel } from "./cel.ts";
import { evaluate } from "./jmespath.ts";

/**
 * The expression languages Chainsaw knows: `jp` (JMESPath, the default) and `cel`. An expression names
 * its language with `(cel; ...)`; one that names none uses the `compiler` in force (operation, binding,
 * step, test or configuration), which `bindings.compiler` carries.
 */
export const ENGINES = ["jp", "cel"] as const;

export function evaluateStatement(
  statement: string,
  explicitEngine: string | undefined,
  input: unknown,
  bindings: Bindings,
): unknown {
  const engine = explicitEngine ?? bindings.compiler;
  switch (engine) {
    case "jp":
      return evaluate(statement, input, bindings);
    case "cel":
      return evaluateCel(statement, input, bindings);
    default:
      throw new Error(`unknown expression language "${engine}": expected jp or cel`);
  }
}
