/**
 * Installs Chainsaw's JMESPath function set (kyverno-json defaults + kyverno + Chainsaw) once.
 * The functions that need a cluster (`x_k8s_get`, `x_k8s_list`, `x_k8s_exists`,
 * `x_k8s_resource_exists`, `x_k8s_server_version`) are left to the runner, which registers them with
 * `registerJmespathFunction` once it has a client.
 */
import { arithmetic, round, sum } from "./fn-arithmetic.ts";
import { METRICS_FUNCTIONS } from "./fn-metrics.ts";
import { STRING_FUNCTIONS } from "./fn-strings.ts";
import { TIME_FUNCTIONS } from "./fn-time.ts";
import { registerJmespathFunction, type ArgSpec, type JmespathFunction } from "./registry.ts";

let installed = false;

const ANY: ArgSpec = { types: ["any"] };

const ARITHMETIC: [string, JmespathFunction, ArgSpec[]][] = [
  ["add", (args) => arithmetic("add", args), [ANY, ANY]],
  ["subtract", (args) => arithmetic("subtract", args), [ANY, ANY]],
  ["multiply", (args) => arithmetic("multiply", args), [ANY, ANY]],
  ["divide", (args) => arithmetic("divide", args), [ANY, ANY]],
  ["modulo", (args) => arithmetic("modulo", args), [ANY, ANY]],
  ["sum", sum, [{ types: ["array"] }]],
  ["round", round, [{ types: ["number"] }, { types: ["number"] }]],
];

export function installChainsawFunctions(): void {
  if (installed) return;
  installed = true;
  for (const [name, fn, args] of [
    ...ARITHMETIC,
    ...STRING_FUNCTIONS,
    ...TIME_FUNCTIONS,
    ...METRICS_FUNCTIONS,
  ]) {
    registerJmespathFunction(name, fn, args);
  }
}
