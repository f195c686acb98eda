import { dirname, isAbsolute, resolve } from "node:path";
import type { Config, ParsedKubeproofConfig } from "../config/config-schema.ts";
import type {
  CommandOperation,
  Operation,
  PathSegment,
  ScriptOperation,
  SourceDocument,
  SuiteSetup,
} from "../model/index.ts";
import { convertOperations } from "./chainsaw-ops.ts";
import { errorAt, type LoadError } from "../source/diagnostics.ts";
import { glob, isDirectory, isFile } from "./files.ts";
import { displayPath, type LoadContext } from "./loader.ts";
import { readManifests } from "./files.ts";
import { describeManifest, isCrd, manifestFiles } from "./setup-files.ts";

/**
 * kubeproof.yaml's `setup`: the same set-up a kuttl TestSuite gives its tests (crdDir, manifestDirs,
 * commands), for a run of any tests. Paths are relative to the configuration file; commands are
 * Chainsaw's script and command operations, run in that directory.
 */

type ParsedSetup = NonNullable<NonNullable<ParsedKubeproofConfig["spec"]>["setup"]>;

const GLOB_META = /[*?[]/;
const SETUP_PATH = ["spec", "setup"] as const;

export interface SetupContext {
  /** The configuration so far: its timeouts and templating are the set-up's defaults. */
  config: Pick<Config, "timeouts" | "templating">;
  /** The configuration file: paths are relative to its directory. */
  absPath: string;
  /** Paths in messages are relative to this directory. */
  rootDir: string;
  errors: LoadError[];
}

export function configSetup(parsed: ParsedSetup, doc: SourceDocument, sc: SetupContext): SuiteSetup {
  const { config, errors } = sc;
  const baseDir = dirname(sc.absPath);
  const load: LoadContext = { rootDir: sc.rootDir, cache: new Map() };
  const read = (field: "crds" | "manifests"): SourceDocument[] =>
    (parsed[field] ?? []).flatMap((written, i) =>
      readEntry(written, { doc, path: [...SETUP_PATH, field, i], baseDir, load, errors }),
    );
  const crds = read("crds");
  for (const crd of crds) {
    if (isCrd(crd)) continue;
    errors.push(
      errorAt(crd, ["kind"], {
        message: `${describeManifest(crd)} is not a CustomResourceDefinition`,
        expected: "apiVersion: apiextensions.k8s.io/v1, kind: CustomResourceDefinition",
        hint: "put other objects in setup.manifests",
        path: [],
      }),
    );
  }
  return {
    location: doc.locate([...SETUP_PATH]),
    crds,
    manifests: read("manifests"),
    commands: commands(parsed.commands ?? [], doc, { baseDir, load, config, errors }),
    namespace: "default",
    baseDir,
    applyTimeoutMs: config.timeouts.apply,
    establishTimeoutMs: config.timeouts.assert,
    notes: [],
  };
}

interface EntryContext {
  doc: SourceDocument;
  path: PathSegment[];
  baseDir: string;
  load: LoadContext;
  errors: LoadError[];
}

/** A file, every manifest below a directory, or every file a glob matches; each must hold objects. */
function readEntry(written: string, ec: EntryContext): SourceDocument[] {
  const abs = isAbsolute(written) ? written : resolve(ec.baseDir, written);
  const files = GLOB_META.test(written)
    ? glob(abs)
    : isDirectory(abs)
      ? manifestFiles(abs)
      : isFile(abs)
        ? [abs]
        : undefined;
  const relativeTo = `${displayPath(ec.baseDir, ec.load.rootDir)}/`;
  if (files === undefined || files.length === 0) {
    ec.errors.push(
      errorAt(ec.doc, ec.path, {
        message:
          files === undefined
            ? `${JSON.stringify(written)} not found`
            : GLOB_META.test(written)
              ? `no file matches ${JSON.stringify(written)}`
              : `${JSON.stringify(written)} holds no .yaml, .yml or .json file`,
        expected: `a file, directory or glob relative to ${relativeTo}`,
      }),
    );
    return [];
  }
  const { documents, errors } = readManifests(files, ec.load);
  ec.errors.push(...errors);
  if (documents.length === 0 && errors.length === 0) {
    ec.errors.push(
      errorAt(ec.doc, ec.path, {
        message: `found no object in ${JSON.stringify(written)}`,
        expected: "at least one YAML document",
      }),
    );
  }
  return documents;
}

function commands(
  entries: NonNullable<ParsedSetup["commands"]>,
  doc: SourceDocument,
  cc: {
    baseDir: string;
    load: LoadContext;
    config: Pick<Config, "timeouts" | "templating">;
    errors: LoadError[];
  },
): SuiteSetup["commands"] {
  const operations = convertOperations(entries, [...SETUP_PATH, "commands"], {
    doc,
    baseDir: cc.baseDir,
    load: cc.load,
    template: cc.config.templating.enabled,
    errors: cc.errors,
  });
  return entries.map((entry, i) => {
    const operation = operations[i];
    if (operation === undefined || !isProcess(operation)) {
      throw new Error(
        `setup.commands[${i}] passed validation but converted to ${operation?.type ?? "nothing"}`,
      );
    }
    const background = entry.background ?? false;
    // A background command runs until the end of the run; a foreground one has the exec timeout.
    const { timeoutMs = cc.config.timeouts.exec, ...rest } = operation;
    return { operation: background ? rest : { ...rest, timeoutMs }, background };
  });
}

function isProcess(operation: Operation): operation is ScriptOperation | CommandOperation {
  return operation.type === "script" || operation.type === "command";
}
