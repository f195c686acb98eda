import { resolve } from "node:path";
import type { PathSegment, SetupCommand, SourceDocument, SuiteSetup } from "../model/index.ts";
import { formatLocation } from "../model/index.ts";
import { errorAt, type LoadError } from "../source/diagnostics.ts";
import { isDirectory, isFile } from "./files.ts";
import { commandOperation } from "./kuttl-command.ts";
import type { ParsedTestSuite } from "./kuttl-schema.ts";
import { displayPath, type LoadContext } from "./loader.ts";
import { readManifests } from "./files.ts";
import { describeManifest, isCrd, manifestFiles } from "./setup-files.ts";

/**
 * A TestSuite's set-up, as kuttl's harness runs it before the tests (pkg/test/harness Setup): the
 * CustomResourceDefinitions of `crdDir` (other objects there are skipped), waited for as kuttl waits
 * (envtest's WaitForCRDs: at most 10 s), then every object of each `manifestDirs` entry in order, then
 * `commands` in the suite's working directory with `$NAMESPACE` set to `default`, where objects that
 * name no namespace go too.
 */

/** kuttl's harness gives envtest.WaitForCRDs this long. */
const KUTTL_CRD_WAIT_MS = 10_000;
/** kuttl's default step timeout, used for each object's apply (kuttl retries writes on its own). */
const KUTTL_DEFAULT_TIMEOUT_S = 30;

export function kuttlSetup(
  suite: { doc: SourceDocument; spec: ParsedTestSuite; workDir: string },
  ctx: LoadContext,
  errors: LoadError[],
): SuiteSetup | undefined {
  const { doc, spec, workDir: suiteDir } = suite;
  const crdDir = spec.crdDir ?? "";
  const manifestDirs = spec.manifestDirs ?? [];
  const commands = spec.commands ?? [];
  if (crdDir === "" && manifestDirs.every((d) => d === "") && commands.length === 0) return undefined;
  const read = (written: string, path: PathSegment[], what: string): SourceDocument[] => {
    // kuttl skips an empty entry (InstallManifests of "" installs nothing).
    if (written === "") return [];
    const abs = resolve(suiteDir, written);
    if (!isDirectory(abs) && !isFile(abs)) {
      errors.push(
        errorAt(doc, path, {
          message: `${what} ${JSON.stringify(written)} not found`,
          expected: `a directory (or file) relative to ${displayPath(suiteDir, ctx.rootDir)}/`,
        }),
      );
      return [];
    }
    // kuttl reads these with the same splitter as step files.
    const result = readManifests(manifestFiles(abs), ctx, { parse: { kuttlSeparators: true } });
    errors.push(...result.errors);
    return result.documents;
  };
  const notes: string[] = [];
  const crds = read(crdDir, ["crdDir"], "CRD directory").filter((d) => {
    if (isCrd(d)) return true;
    notes.push(
      `skipped ${describeManifest(d)} (${formatLocation(d.location)}): crdDir installs only CustomResourceDefinitions, as kuttl does`,
    );
    return false;
  });
  const manifests = manifestDirs.flatMap((dir, i) => read(dir, ["manifestDirs", i], "manifest directory"));
  return {
    location: doc.location,
    crds,
    manifests,
    commands: commands.map((cmd, i) => setupCommand(cmd, doc, i, spec.timeout ?? 0)),
    namespace: "default",
    baseDir: suiteDir,
    applyTimeoutMs: (spec.timeout || KUTTL_DEFAULT_TIMEOUT_S) * 1000,
    establishTimeoutMs: KUTTL_CRD_WAIT_MS,
    notes,
  };
}

/**
 * kuttl's RunCommand timeout: the command's own when positive, none when negative, else the suite's
 * `timeout` as written, where 0 (the default) means none: set-up commands get no 30 s default. A
 * background command is never timed out.
 */
function setupCommand(
  cmd: NonNullable<ParsedTestSuite["commands"]>[number],
  doc: SourceDocument,
  index: number,
  suiteTimeout: number,
): SetupCommand {
  const background = cmd.background ?? false;
  const seconds = background || (cmd.timeout ?? 0) < 0 ? 0 : cmd.timeout || suiteTimeout;
  const { timeoutMs: _unused, ...operation } = commandOperation(cmd, {
    location: doc.locate(["commands", index]),
    timeoutMs: seconds * 1000,
    continueOnError: cmd.ignoreFailure ?? false,
    retry: false,
  });
  return { operation: seconds > 0 ? { ...operation, timeoutMs: seconds * 1000 } : operation, background };
}
