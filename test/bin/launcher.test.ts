import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

/**
 * bin/kubeproof.js is a sh/JavaScript polyglot: run as a command, sh execs node with the young
 * generation capped; read by node, the sh line is a string and a comment. The copy here imports a
 * stand-in for dist/cli/bin.js that prints the node flags it got, so no build is needed.
 */
const launcher = fileURLToPath(new URL("../../bin/kubeproof.js", import.meta.url));

async function withLauncher(run: (bin: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "kp-launcher-"));
  try {
    await mkdir(join(dir, "bin"));
    await mkdir(join(dir, "dist", "cli"), { recursive: true });
    await copyFile(launcher, join(dir, "bin", "kubeproof.js"));
    await writeFile(join(dir, "package.json"), '{ "type": "module" }\n');
    await writeFile(
      join(dir, "dist", "cli", "bin.js"),
      "console.log(JSON.stringify({ execArgv: process.execArgv, argv: process.argv.slice(2) }));\n",
    );
    await run(join(dir, "bin", "kubeproof.js"));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const execFileAsync = promisify(execFile);

async function exec(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ stderr: string; execArgv: string[]; argv: string[] }> {
  const { stdout, stderr } = await execFileAsync(file, args, {
    env: { ...process.env, NODE_OPTIONS: "", ...env },
  });
  const printed = JSON.parse(stdout) as { execArgv: string[]; argv: string[] };
  return { stderr, ...printed };
}

test("the kubeproof command starts node with the young generation capped, passing arguments through", async () => {
  await withLauncher(async (bin) => {
    const run = await exec(bin, ["test", "a b", "--workers", "4"]);
    assert.equal(run.stderr, "");
    assert.deepEqual(run.execArgv, ["--max-semi-space-size=8"]);
    assert.deepEqual(run.argv, ["test", "a b", "--workers", "4"]);
  });
});

test("a semi-space size in NODE_OPTIONS wins over the launcher's", async () => {
  await withLauncher(async (bin) => {
    const run = await exec(bin, ["--version"], { NODE_OPTIONS: "--max-semi-space-size=32" });
    assert.equal(run.stderr, "");
    assert.deepEqual(run.execArgv, []);
    assert.deepEqual(run.argv, ["--version"]);
  });
});

test("node bin/kubeproof.js reads the sh line as JavaScript and runs the CLI", async () => {
  await withLauncher(async (bin) => {
    const run = await exec(process.execPath, [bin, "--version"]);
    assert.equal(run.stderr, "");
    assert.deepEqual(run.execArgv, []);
    assert.deepEqual(run.argv, ["--version"]);
  });
});
