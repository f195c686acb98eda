import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseLdd } from "../../src/cluster/providers/real/host-image.ts";

describe("the git image's libraries", () => {
  it("takes every resolved library and the loader from ldd's output, nothing else", () => {
    const output = [
      "\tlinux-vdso.so.1 (0x00007ffd1c7f6000)",
      "\tlibz.so.1 => /lib/x86_64-linux-gnu/libz.so.1 (0x00007f1c2a0cd000)",
      "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f1c29e1e000)",
      "\t/lib64/ld-linux-x86-64.so.2 (0x00007f1c2a199000)",
      "",
    ].join("\n");
    assert.deepEqual(parseLdd(output), [
      "/lib/x86_64-linux-gnu/libz.so.1",
      "/lib/x86_64-linux-gnu/libc.so.6",
      "/lib64/ld-linux-x86-64.so.2",
    ]);
  });
});
