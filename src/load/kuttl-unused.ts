import { basename, join } from "node:path";
import type { Step } from "../model/index.ts";
import { LoadError } from "../source/diagnostics.ts";
import { isDirectory, isFile } from "./files.ts";
import { isStepEntryName, listDir, type StepGroup } from "./kuttl-layout.ts";
import { displayPath, type LoadContext } from "./loader.ts";

/**
 * The files of a kuttl test case that nothing runs: kuttl skips them with a line in its log, so a
 * misnamed step file (`00-install.yml`, `00-assert.yaml.tmpl`) passes without doing anything. Each
 * gets a warning. A file is used when it is a step file, when a TestStep's `apply`, `assert` or
 * `error` lists it, or when a command of the test names it (a script it runs). Hidden files are left
 * alone.
 */
export function unusedFileWarnings(
  dir: string,
  groups: readonly StepGroup[],
  steps: readonly Step[],
  referenced: ReadonlySet<string>,
  ctx: LoadContext,
): LoadError[] {
  const used = new Set([...referenced, ...groups.flatMap((g) => g.files)]);
  const commands = steps
    .flatMap((s) => [...s.try, ...s.catch])
    .map((op) =>
      op.type === "command" ? [op.entrypoint, ...op.args].join(" ") : op.type === "script" ? op.content : "",
    )
    .join("\n");
  const warnings: LoadError[] = [];
  const warn = (path: string, message: string): void => {
    warnings.push(new LoadError({ file: displayPath(path, ctx.rootDir), line: 0, col: 0, message }));
  };
  const check = (path: string, inStepDir: boolean): void => {
    const name = basename(path);
    if (name.startsWith(".") || used.has(path) || commands.includes(name)) return;
    if (/^\d+-[^.]+\.yml$/i.test(name) && !inStepDir) {
      warn(path, "not run: kuttl reads step files ending in .yaml only (rename it to .yaml)");
    } else if (inStepDir) {
      warn(path, "not run: in a step directory, kuttl reads the .yaml files only");
    } else {
      warn(
        path,
        "not run: not a kuttl step file (<index>-<name>.yaml or .gotmpl.yaml), and no command of the test names it",
      );
    }
  };
  for (const name of listDir(dir)) {
    const path = join(dir, name);
    if (isFile(path)) check(path, false);
    else if (isDirectory(path) && isStepEntryName(name) && !name.startsWith(".")) {
      for (const inner of listDir(path)) if (isFile(join(path, inner))) check(join(path, inner), true);
    }
  }
  return warnings;
}
