import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { maskSecrets, relativizePaths } from "../../../src/gate/feedback/paths.ts";

describe("relativizePaths", () => {
  const roots = ["/home/dev/app/"];

  it("makes paths under the root repository-relative, also as file:// URLs", () => {
    const text = [
      "    at TestContext.<anonymous> (file:///home/dev/app/test/x.test.ts:12:5)",
      "\t/home/dev/app/pkg/x.go:8 +0x3b",
      "location: '/home/dev/app/test/x.test.js:3:1'",
    ].join("\n");
    assert.equal(
      relativizePaths(text, { roots }),
      [
        "    at TestContext.<anonymous> (test/x.test.ts:12:5)",
        "\tpkg/x.go:8 +0x3b",
        "location: 'test/x.test.js:3:1'",
      ].join("\n"),
    );
  });

  it("turns the root itself into .", () => {
    assert.equal(
      relativizePaths("rootdir: /home/dev/app\nmake: Entering directory '/home/dev/app'", { roots }),
      "rootdir: .\nmake: Entering directory '.'",
    );
  });

  it("leaves other paths alone: siblings sharing a prefix, the root nested in another path, toolchains", () => {
    const text =
      "/home/dev/app2/x.go /home/dev/app.bak /srv/home/dev/app/x.go /usr/local/go/src/testing/testing.go";
    assert.equal(relativizePaths(text, { roots }), text);
  });

  it("maps every root, longest first (the Job's checkout inside a workspace)", () => {
    const text = "/workspace/src/app/e2e/a.yaml /workspace/notes.txt /home/dev/app/b.go";
    assert.equal(
      relativizePaths(text, { roots: ["/workspace", "/home/dev/app", "/workspace/src/app"] }),
      "e2e/a.yaml notes.txt b.go",
    );
  });

  it("maps a GOPATH checkout of the module to the root", () => {
    const text =
      "\t/go/src/github.com/acme/operator/controllers/widget.go:41 +0x1d\n\t/root/go/pkg/mod/k8s.io/x@v1/y.go:3";
    assert.equal(
      relativizePaths(text, { roots: [], goModule: "github.com/acme/operator" }),
      "\tcontrollers/widget.go:41 +0x1d\n\t/root/go/pkg/mod/k8s.io/x@v1/y.go:3",
    );
  });

  it("ignores empty roots and /", () => {
    assert.equal(relativizePaths("/etc/hosts", { roots: ["", "/"] }), "/etc/hosts");
  });
});

describe("maskSecrets", () => {
  const token = "ghp_S3cr3tT0ken4Gate";
  const b64 = (s: string): string => Buffer.from(s).toString("base64");

  it("masks every occurrence of each secret", () => {
    assert.equal(
      maskSecrets(`Authorization: Bearer ${token}\nretry with ${token}`, [token]),
      "Authorization: Bearer ***\nretry with ***",
    );
  });

  it("masks the base64 form, padded or not, standard or URL-safe", () => {
    const secret = "a?>b~~~c?>d"; // encodes with + and / in it, and padding
    const std = b64(secret);
    assert.ok(/[+/]/.test(std));
    const url = std.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    assert.equal(maskSecrets(`data: ${std}\nurl: ${url}\n`, [secret]), "data: ***\nurl: ***\n");
  });

  it("masks the secret inside a larger base64 value at any alignment (a docker config's auth)", () => {
    for (const user of ["bot", "bot1", "bot12"]) {
      const auth = b64(`${user}:${token}`);
      const masked = maskSecrets(`{"auths":{"ghcr.io":{"auth":"${auth}"}}}`, [token]);
      assert.ok(masked.includes("***"), `${user}: ${masked}`);
      const left = /"auth":"([^"]*)"/.exec(masked)?.[1] ?? "";
      // What is left is the user name's encoding plus at most a few boundary characters.
      assert.ok(left.replace("***", "").length <= b64(`${user}:`).length + 3, `${user}: ${left}`);
    }
  });

  it("masks JSON-escaped, URL-encoded and per-line forms", () => {
    const secret = 'a"b\\c d/e&f\nsecond-line-value';
    const text = [
      JSON.stringify({ v: secret }),
      `https://x/?t=${encodeURIComponent(secret)}`,
      "printed: second-line-value",
    ].join("\n");
    assert.equal(maskSecrets(text, [secret]), ['{"v":"***"}', "https://x/?t=***", "printed: ***"].join("\n"));
  });

  it("masks the longer of two overlapping secrets whole", () => {
    assert.equal(maskSecrets("key=abcd1234efgh", ["abcd1234", "abcd1234efgh"]), "key=***");
  });

  it("ignores values too short to mask usefully", () => {
    assert.equal(maskSecrets("a b c abc", ["a", "abc", ""]), "a b c abc");
  });

  it("with edges, masks a secret cut in two by the start or end of a tail", () => {
    const text = `${token.slice(7)}\nbody\nprefix ${token.slice(0, 9)}`;
    assert.equal(maskSecrets(text, [token]), text);
    assert.equal(maskSecrets(text, [token], { edges: true }), "***\nbody\nprefix ***");
  });
});
