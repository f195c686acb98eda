import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { PathSegment, SourceDocument } from "../model/index.ts";
import { errorAt, LoadError, LoadErrors } from "../source/diagnostics.ts";
import { errorMessage } from "../source/errors.ts";
import { parseYamlDocuments, subDocument } from "../source/yaml.ts";
import { findConfigFile, loadConfigFile } from "./config.ts";
import { displayPath } from "./loader.ts";

/**
 * Finds the configuration file and the gate section in it, with positions; the gate validates the
 * section (`validateGate` in `src/gate/config-file.ts`), so the gate never imports the loader. Two
 * shapes are accepted: the full configuration (`apiVersion: kubeproof.dev/v1alpha1`,
 * `kind: Configuration`, the gate under `spec.gate`), whose other fields are validated here with the
 * configuration loader, and a file holding only `gate:`, as a repository that uses kubeproof only for
 * its gate would write it.
 */

export interface GateSection {
  /** Absolute path of the file. */
  file: string;
  /** The gate section; its positions are those of the whole file. */
  doc: SourceDocument;
  /** Where the section sits in the file: `["spec", "gate"]` or `["gate"]`. */
  path: PathSegment[];
}

export interface ReadGateSectionOptions {
  /** `--config`: this file, which must exist. */
  configPath?: string;
  /** Where to look when no path is given; paths in messages are relative to it too. */
  cwd: string;
}

export function readGateSection(options: ReadGateSectionOptions): GateSection {
  const cwd = resolve(options.cwd);
  const abs = options.configPath !== undefined ? resolve(cwd, options.configPath) : findConfigFile(cwd);
  if (abs === undefined) {
    throw new LoadErrors([
      new LoadError({
        file: displayPath(cwd, cwd),
        line: 0,
        col: 0,
        message: "no kubeproof.yaml here or in a parent directory up to the repository root",
        expected: "a kubeproof.yaml with a gate: section",
        hint: "create one (see docs/gate.md) or pass --config FILE",
      }),
    ]);
  }
  const file = displayPath(abs, cwd);
  let text: string;
  try {
    text = readFileSync(abs, "utf8");
  } catch (err) {
    throw new LoadErrors([
      new LoadError({
        file,
        line: 0,
        col: 0,
        message: `cannot read the configuration: ${errorMessage(err)}`,
        hint: "check the path given to --config",
      }),
    ]);
  }
  const { documents, errors } = parseYamlDocuments(text, file);
  if (errors.length > 0) throw new LoadErrors(errors);
  const doc = documents[0];
  if (doc === undefined || doc.value === null || typeof doc.value !== "object" || Array.isArray(doc.value)) {
    throw new LoadErrors([
      new LoadError({
        file,
        line: 1,
        col: 1,
        message: "the configuration is not a mapping",
        expected: "gate: {tiers: [...]}",
      }),
    ]);
  }
  const path = gatePath(doc, abs, cwd);
  const gateDoc = subDocument(doc, path);
  if (gateDoc.value === undefined || gateDoc.value === null) {
    throw new LoadErrors([
      new LoadError({
        ...doc.locate(path.slice(0, -1)),
        message: `no ${path.join(".")} section`,
        expected: "tiers with checks",
        hint: "add a gate section (see docs/gate.md)",
      }),
    ]);
  }
  return { file: abs, doc: gateDoc, path };
}

/** Which of the two shapes `doc` is; throws on fields a gate-only file does not have. */
function gatePath(doc: SourceDocument, abs: string, cwd: string): PathSegment[] {
  const top = doc.value as Record<string, unknown>;
  if ("kind" in top || "apiVersion" in top) {
    // The full configuration: its loader checks everything but the gate, with the same messages as
    // every other command.
    loadConfigFile(abs, cwd);
    return ["spec", "gate"];
  }
  const stray = Object.keys(top).filter((key) => key !== "gate");
  if (stray.length > 0) {
    throw new LoadErrors(
      stray.map((key) =>
        errorAt(doc, [key], {
          message: `unknown field ${JSON.stringify(key)}`,
          path: [],
          expected: "gate (or a full configuration with apiVersion and kind: Configuration)",
        }),
      ),
    );
  }
  return ["gate"];
}
