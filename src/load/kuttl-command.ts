import type { CommandOperation, ScriptOperation, SourceLocation } from "../model/index.ts";
import { processLabel } from "../ops/convert-parts.ts";

/**
 * kuttl's `command` → a model operation. kuttl expands `$VAR` in the command line (Go's os.Expand,
 * `$$` for a literal `$`, with NAMESPACE and KUBECONFIG added to the environment) and only then splits
 * it into argv like a shell (google/shlex: quotes and backslashes, no pipes or globs). The values are
 * known only at run time and the runner expands nothing in a command's argv when templating is off, so:
 *
 * - a command line without variables becomes a `command` operation with the argv split here;
 * - one with variables becomes a `script` operation running the same argv through `sh`, which expands
 *   them: an unquoted `$VAR` splits into words (or vanishes when empty) as kuttl's expand-then-split
 *   does, with globbing off; a `$VAR` inside quotes stays one word.
 *
 * A value holding quotes or backslashes is where the two still differ: kuttl's split would interpret
 * them, the shell does not.
 */

export interface CommandSpec {
  command?: string | undefined;
  script?: string | undefined;
  namespaced?: boolean | undefined;
  skipLogOutput?: boolean | undefined;
}

export interface CommandOptions {
  location: SourceLocation;
  timeoutMs: number;
  continueOnError: boolean;
  /** Re-run until it succeeds: kuttl re-checks TestAssert commands with the asserts until the timeout. */
  retry: boolean;
}

/** A part of one argv word: literal text, or a variable expanded at run time. */
type Part = { text: string } | { variable: string; quoted: boolean };
type Word = Part[];

class CommandSyntaxError extends Error {
  override name = "CommandSyntaxError";
}

/** Why kuttl could not run this command line (an unclosed quote, nothing to run), or undefined. */
export function commandLineProblem(line: string): string | undefined {
  try {
    if (splitWords(expandVariables(line)).length === 0) return "the command line is empty";
  } catch (err) {
    if (err instanceof CommandSyntaxError) return err.message;
    throw err;
  }
  return undefined;
}

/** The operation for a command the schema accepted (see `commandLineProblem`). */
export function commandOperation(
  spec: CommandSpec,
  options: CommandOptions,
): CommandOperation | ScriptOperation {
  const base = {
    location: options.location,
    timeoutMs: options.timeoutMs,
    bindings: [],
    outputs: [],
    template: false,
    continueOnError: options.continueOnError,
    env: [],
    skipLogOutput: spec.skipLogOutput ?? false,
  };
  if (spec.script !== undefined) {
    // kuttl runs `sh -c script`, the runner's default for a script. Retried in a subshell, so that an
    // `exit` in the script ends one attempt, not the loop.
    if (!options.retry) return { ...base, type: "script", content: spec.script };
    const content = `until (\n${spec.script}\n); do sleep 1; done`;
    return { ...base, type: "script", content, label: processLabel("script", spec.script) };
  }
  const line = spec.command ?? "";
  const words = splitWords(expandVariables(line));
  if (words.length === 0) throw new Error(`empty command line ${JSON.stringify(line)} passed validation`);
  if (spec.namespaced === true && !hasNamespaceFlag(words)) {
    words.push([{ text: "--namespace" }], [{ variable: "NAMESPACE", quoted: true }]);
  }
  const literal = words.map(literalText);
  if (!options.retry && literal.every((w): w is string => w !== undefined)) {
    const [entrypoint = "", ...args] = literal;
    return { ...base, type: "command", entrypoint, args };
  }
  const argv = words.map(shellWord).join(" ");
  // Globbing would turn a `*` in a variable's value into file names; kuttl never globs.
  const noGlob = words.some((w) => w.some((p) => "variable" in p && !p.quoted && p.variable !== "NAMESPACE"));
  const run = options.retry ? `until ${argv}; do sleep 1; done` : argv;
  const content = noGlob ? `set -f; ${run}` : run;
  return { ...base, type: "script", content, description: line, label: processLabel("command", line) };
}

/** Go's os.Expand as kuttl calls it: `$NAME`, `${NAME}`, `$$` → `$`; other special names expand to "". */
export function expandVariables(line: string): (string | { variable: string })[] {
  const out: (string | { variable: string })[] = [];
  let text = "";
  let start = 0;
  for (let j = 0; j < line.length; j++) {
    if (line[j] !== "$" || j + 1 >= line.length) continue;
    text += line.slice(start, j);
    const [name, width] = shellName(line.slice(j + 1));
    if (name === "" && width === 0) text += "$";
    else if (name === "$") text += "$";
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      if (text !== "") out.push(text);
      text = "";
      out.push({ variable: name });
    }
    // Anything else is Go's "bad syntax, eaten" or a name no environment holds (`$1`, `${a-b}`): "".
    j += width;
    start = j + 1;
  }
  text += line.slice(start);
  if (text !== "") out.push(text);
  return out;
}

/** os.Expand's getShellName: the name after `$` and how many characters it takes. */
function shellName(s: string): [string, number] {
  if (s[0] === "{") {
    if (s.length > 2 && isSpecial(s[1] ?? "") && s[2] === "}") return [s.slice(1, 2), 3];
    for (let i = 1; i < s.length; i++) {
      if (s[i] === "}") return i === 1 ? ["", 2] : [s.slice(1, i), i + 1];
    }
    return ["", 1];
  }
  if (isSpecial(s[0] ?? "")) return [s.slice(0, 1), 1];
  let i = 0;
  while (i < s.length && /[A-Za-z0-9_]/.test(s[i] ?? "")) i++;
  return [s.slice(0, i), i];
}

function isSpecial(c: string): boolean {
  return c !== "" && "*#$@!?-0123456789".includes(c);
}

type State = "start" | "word" | "escape" | "double" | "doubleEscape" | "single" | "comment";

/** google/shlex's Split over the expanded line, variables standing for one word-character each. */
export function splitWords(pieces: readonly (string | { variable: string })[]): Word[] {
  const words: Word[] = [];
  let word: Word = [];
  let state: State = "start";
  const addText = (c: string): void => {
    const last = word[word.length - 1];
    if (last !== undefined && "text" in last) last.text += c;
    else word.push({ text: c });
  };
  const endWord = (): void => {
    words.push(word.length === 0 ? [{ text: "" }] : word);
    word = [];
    state = "start";
  };
  for (const piece of pieces) {
    if (typeof piece !== "string") {
      if (state === "comment") continue;
      const quoted = state === "double" || state === "doubleEscape" || state === "single";
      word.push({ variable: piece.variable, quoted });
      if (state === "start" || state === "escape") state = "word";
      else if (state === "doubleEscape") state = "double";
      continue;
    }
    for (const c of piece) state = step(state, c, addText, endWord);
  }
  if (state === "word") endWord();
  else if (state === "escape" || state === "doubleEscape")
    throw new CommandSyntaxError("the command line ends with an escape character (\\)");
  else if (state === "double" || state === "single")
    throw new CommandSyntaxError("the command line has a quote that is never closed");
  return words;
}

function step(state: State, c: string, addText: (c: string) => void, endWord: () => void): State {
  const space = c === " " || c === "\t" || c === "\n" || c === "\r";
  switch (state) {
    case "start":
      if (space) return "start";
      if (c === "#") return "comment";
      if (c === '"') return "double";
      if (c === "'") return "single";
      if (c === "\\") return "escape";
      addText(c);
      return "word";
    case "word":
      if (space) {
        endWord();
        return "start";
      }
      if (c === '"') return "double";
      if (c === "'") return "single";
      if (c === "\\") return "escape";
      addText(c);
      return "word";
    case "escape":
      addText(c);
      return "word";
    case "double":
      if (c === '"') return "word";
      if (c === "\\") return "doubleEscape";
      addText(c);
      return "double";
    case "doubleEscape":
      addText(c);
      return "double";
    case "single":
      if (c === "'") return "word";
      addText(c);
      return "single";
    case "comment":
      return c === "\n" ? "start" : "comment";
  }
}

/** kuttl's `namespaced` check (pflag): is `-n`/`--namespace` given a value before `--`? */
function hasNamespaceFlag(words: readonly Word[]): boolean {
  for (let i = 0; i < words.length; i++) {
    const text = literalText(words[i] ?? []);
    if (text === "--") return false;
    if (text === undefined) continue;
    if (text === "-n" || text === "--namespace") {
      const value = words[i + 1];
      return value !== undefined && literalText(value) !== "";
    }
    if (text.startsWith("--namespace=")) return text.length > "--namespace=".length;
    if (text.startsWith("-n") && !text.startsWith("--")) return true;
  }
  return false;
}

/** The word's text when it holds no variable. */
function literalText(word: Word): string | undefined {
  let out = "";
  for (const part of word) {
    if (!("text" in part)) return undefined;
    out += part.text;
  }
  return out;
}

function shellWord(word: Word): string {
  const rendered = word
    .map((part) => {
      if ("variable" in part) return part.quoted ? `"\${${part.variable}}"` : `\${${part.variable}}`;
      return part.text === "" ? "" : shellQuote(part.text);
    })
    .join("");
  return rendered === "" ? "''" : rendered;
}

function shellQuote(text: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
