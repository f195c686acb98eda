/**
 * Chainsaw's string, encoding and collection functions: kyverno's set (kyverno-json
 * pkg/jp/kyverno/functions.go), kyverno-json's own (`at`, `concat`, `json_parse`, `wildcard`) and
 * Chainsaw's (`env`, `trim_space`, `as_string`; chainsaw pkg/engine/functions).
 *
 * Where Chainsaw's version replaces a JMESPath built-in with a different arity (`replace`, `split`,
 * `trim`, `items`), the built-in's arity keeps working here: a superset, so tests written for Chainsaw
 * behave the same.
 */
import YAML from "yaml";
import { fnError } from "./fn-arithmetic.ts";
import {
  expandTemplate,
  goBase64Decode,
  goCleanPath,
  goJson,
  goRegExp,
  goReplace,
  goSplit,
  goTrim,
  goTrimSpace,
  ifaceToString,
} from "./gocompat.ts";
import { builtinFunction, type ArgSpec, type JmespathFunction } from "./registry.ts";
import { semverCompare } from "./semver.ts";
import { errorMessage } from "../source/errors.ts";

const S: ArgSpec = { types: ["string"] };
const N: ArgSpec = { types: ["number"] };
const SN: ArgSpec = { types: ["string", "number"] };
const ANY: ArgSpec = { types: ["any"] };

function toText(fn: string, value: unknown, position: number): string {
  const text = ifaceToString(value);
  if (text === undefined) throw fnError(fn, `argument #${position} must be a string or a number`);
  return text;
}

/** kyverno's wildcard.Match: `*` is any run of characters, `?` exactly one. */
export function wildcardMatch(pattern: string, value: string): boolean {
  const source = Array.from(pattern)
    .map((ch) =>
      ch === "*" ? "[\\s\\S]*" : ch === "?" ? "[\\s\\S]" : ch.replace(/[\\^$.|+()[\]{}]/g, "\\$&"),
    )
    .join("");
  return new RegExp(`^${source}$`, "u").test(value);
}

function regexReplace(fn: string, args: unknown[], literal: boolean): string {
  const pattern = args[0] as string;
  const src = toText(fn, args[1], 2);
  const repl = toText(fn, args[2], 3);
  let re: RegExp;
  try {
    re = goRegExp(pattern, true);
  } catch (err) {
    throw fnError(fn, errorMessage(err));
  }
  return src.replace(re, (...m: unknown[]) => {
    if (literal) return repl;
    const groups = m.at(-1);
    const match = m.slice(0, -2) as string[];
    const exec = Object.assign(match, {
      index: 0,
      input: src,
      groups: typeof groups === "object" && groups !== null ? (groups as Record<string, string>) : undefined,
    }) as unknown as RegExpExecArray;
    return expandTemplate(repl, exec);
  });
}

function lookup(args: unknown[]): unknown {
  const [input, key] = args;
  if (Array.isArray(input)) {
    if (typeof key !== "number") throw fnError("lookup", "argument #2 must be a number for an array");
    if (!Number.isInteger(key))
      throw fnError("lookup", `argument #2: expected an integer number but got: ${key}`);
    return key < 0 || key >= input.length ? null : (input[key] as unknown);
  }
  if (typeof key !== "string") throw fnError("lookup", "argument #2 must be a string for an object");
  const value = (input as Record<string, unknown>)[key];
  return value === undefined ? null : value;
}

function items(args: unknown[]): unknown {
  if (args.length === 1) return builtinFunction("items")(args);
  const [input, keyName, valueName] = args as [unknown, unknown, unknown];
  if (typeof keyName !== "string" || typeof valueName !== "string") {
    throw fnError("items", "arguments #2 and #3 must be strings");
  }
  if (Array.isArray(input)) return input.map((v: unknown, i) => ({ [keyName]: i, [valueName]: v }));
  const record = input as Record<string, unknown>;
  return Object.keys(record)
    .sort()
    .map((k) => ({ [keyName]: k, [valueName]: record[k] }));
}

function objectFromLists(args: unknown[]): unknown {
  const [keys, values] = args as [unknown[], unknown[]];
  const out: Record<string, unknown> = {};
  keys.forEach((k, i) => {
    const key = ifaceToString(k);
    if (key === undefined)
      throw fnError("object_from_lists", "argument #1 must be an array of strings or numbers");
    out[key] = i < values.length ? values[i] : null;
  });
  return out;
}

function parseJson(fn: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw fnError(fn, errorMessage(err));
  }
}

function parseYaml(text: string): unknown {
  try {
    return YAML.parse(text) as unknown;
  } catch (err) {
    throw fnError("parse_yaml", errorMessage(err));
  }
}

function toNumber(args: unknown[]): unknown {
  const value = args[0];
  if (typeof value === "number") return value;
  if (typeof value !== "string") return null;
  // strconv.ParseFloat: no surrounding spaces, empty is an error (JavaScript's `+""` would be 0).
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value)) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

function unsupported(name: string): JmespathFunction {
  return () => {
    throw fnError(name, "not supported by kubeproof yet");
  };
}

export const STRING_FUNCTIONS: [string, JmespathFunction, ArgSpec[]][] = [
  ["compare", ([a, b]) => ((a as string) < (b as string) ? -1 : a === b ? 0 : 1), [S, S]],
  ["equal_fold", ([a, b]) => (a as string).toLowerCase() === (b as string).toLowerCase(), [S, S]],
  [
    "replace",
    (args) =>
      args.length === 3
        ? builtinFunction("replace")(args)
        : goReplace(...(args as [string, string, string]), Math.trunc(args[3] as number)),
    [S, S, S, { types: ["number"], optional: true }],
  ],
  ["replace_all", (args) => goReplace(...(args as [string, string, string]), -1), [S, S, S]],
  ["to_upper", ([s]) => (s as string).toUpperCase(), [S]],
  ["to_lower", ([s]) => (s as string).toLowerCase(), [S]],
  [
    "trim",
    (args) =>
      args.length === 1 ? builtinFunction("trim")(args) : goTrim(args[0] as string, args[1] as string),
    [S, { types: ["string"], optional: true }],
  ],
  [
    "trim_prefix",
    ([s, p]) => ((s as string).startsWith(p as string) ? (s as string).slice((p as string).length) : s),
    [S, S],
  ],
  [
    "split",
    (args) =>
      args.length === 3 ? builtinFunction("split")(args) : goSplit(args[0] as string, args[1] as string),
    [S, S, { types: ["number"], optional: true }],
  ],
  ["regex_replace_all", (args) => regexReplace("regex_replace_all", args, false), [S, SN, SN]],
  ["regex_replace_all_literal", (args) => regexReplace("regex_replace_all_literal", args, true), [S, SN, SN]],
  ["regex_match", (args) => goRegExp(args[0] as string).test(toText("regex_match", args[1], 2)), [S, SN]],
  ["pattern_match", (args) => wildcardMatch(args[0] as string, toText("pattern_match", args[1], 2)), [S, SN]],
  ["wildcard", ([p, s]) => wildcardMatch(p as string, s as string), [S, S]],
  [
    "label_match",
    ([labels, target]) =>
      Object.entries(labels as Record<string, unknown>).every(
        ([k, v]) => Object.hasOwn(target as object, k) && (target as Record<string, unknown>)[k] === v,
      ),
    [{ types: ["object"] }, { types: ["object"] }],
  ],
  [
    "to_boolean",
    ([s]) => {
      const lower = (s as string).toLowerCase();
      if (lower === "true" || lower === "false") return lower === "true";
      throw fnError(
        "to_boolean",
        `lowercase argument must be 'true' or 'false' (provided: '${s as string}')`,
      );
    },
    [S],
  ],
  ["base64_decode", ([s]) => goBase64Decode(s as string), [S]],
  ["base64_encode", ([s]) => Buffer.from(s as string, "utf8").toString("base64"), [S]],
  ["path_canonicalize", ([s]) => goCleanPath(s as string), [S]],
  [
    "truncate",
    ([s, n]) =>
      Array.from(s as string)
        .slice(0, Math.max(0, Math.trunc(n as number)))
        .join(""),
    [S, N],
  ],
  ["semver_compare", ([v, r]) => semverCompare(v as string, r as string), [S, S]],
  ["parse_json", ([s]) => parseJson("parse_json", s as string), [S]],
  ["json_parse", ([s]) => parseJson("json_parse", s as string), [S]],
  ["parse_yaml", ([s]) => parseYaml(s as string), [S]],
  ["lookup", lookup, [{ types: ["object", "array"] }, SN]],
  [
    "items",
    items,
    [
      { types: ["object", "array"] },
      { types: ["string"], optional: true },
      { types: ["string"], optional: true },
    ],
  ],
  ["object_from_lists", objectFromLists, [{ types: ["array"] }, { types: ["array"] }]],
  [
    "at",
    ([a, i]) => {
      const array = a as unknown[];
      const index = Math.trunc(i as number);
      if (index < 0 || index >= array.length)
        throw fnError("at", `index out of range [${index}] with length ${array.length}`);
      return array[index];
    },
    [{ types: ["array"] }, N],
  ],
  ["concat", ([a, b]) => (a as string) + (b as string), [S, S]],
  ["env", ([name]) => process.env[name as string] ?? "", [S]],
  ["trim_space", ([s]) => goTrimSpace(s as string), [S]],
  ["as_string", ([v]) => (typeof v === "string" ? v : null), [ANY]],
  ["to_string", ([v]) => (typeof v === "string" ? v : goJson(v)), [ANY]],
  ["to_number", toNumber, [ANY]],
  ["random", unsupported("random"), [S]],
  ["x509_decode", unsupported("x509_decode"), [S]],
];
