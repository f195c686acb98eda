import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { UsageError } from "../../src/cli/errors.ts";
import { resolveValues } from "../../src/cli/values.ts";

const none = { files: [], sets: [], setStrings: [] };

test("--set types values as Helm does: 01 and 1.5 stay strings, integers and booleans do not", async () => {
  const values = await resolveValues(
    {},
    { ...none, sets: ["image.tag=01", "a=1.5,b=42,c=TRUE,d=null,e=-3,f=0"] },
  );
  assert.deepEqual(values, { image: { tag: "01" }, a: "1.5", b: 42, c: true, d: null, e: -3, f: 0 });
});

test("--set-string keeps every value a string, and comes after --set", async () => {
  const values = await resolveValues({}, { ...none, sets: ["n=1", "m=2"], setStrings: ["n=1,flag=true"] });
  assert.deepEqual(values, { n: "1", m: 2, flag: "true" });
});

test("--set takes Helm's lists, indices and escapes", async () => {
  const values = await resolveValues(
    {},
    { ...none, sets: ["list={a,2,c}", "items[1].name=x", "dotted\\.key=v", "comma=1\\,2", "empty="] },
  );
  assert.deepEqual(values, {
    list: ["a", 2, "c"],
    items: [null, { name: "x" }],
    "dotted.key": "v",
    comma: "1,2",
    empty: "",
  });
});

test("--values files merge in order over the configuration's values, - reads standard input", async () => {
  const dir = await mkdtemp(join(tmpdir(), "kp-values-"));
  await writeFile(join(dir, "a.yaml"), "env: dev\nimage: { repo: r, tag: '1' }\n");
  await writeFile(join(dir, "b.yaml"), "image: { tag: '2' }\n");
  const values = await resolveValues(
    { base: true, env: "none" },
    { ...none, files: [`${join(dir, "a.yaml")},${join(dir, "b.yaml")}`, "-"], sets: ["env=poc"] },
    () => Promise.resolve("fromStdin: yes\n"),
  );
  assert.deepEqual(values, { base: true, env: "poc", image: { repo: "r", tag: "2" }, fromStdin: "yes" });
});

test("a --set without a value is a usage error that shows the expected form", async () => {
  await assert.rejects(
    resolveValues({}, { ...none, sets: ["image.tag"] }),
    (error: unknown) =>
      error instanceof UsageError && /--set image\.tag: key "image\.tag" has no value/.test(error.message),
  );
});
