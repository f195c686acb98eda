import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { access, chmod, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { startLocalCluster } from "../../src/cluster/local-cluster.ts";
import { KubeClient } from "../../src/kube/client.ts";
import { loadKubeconfig } from "../../src/kube/kubeconfig.ts";
import { binDirFor } from "../support/binaries.ts";
import { runCli } from "../support/cli.ts";
import { processesMentioning } from "../support/processes.ts";

test("cluster up/status/list/down through the CLI: GPU nodes, JSON output, nothing left behind", async (t) => {
  const binDir = await binDirFor(t);
  if (!binDir) return;
  const home = await mkdtemp(join(tmpdir(), "kp-home-"));
  const env = { KUBEPROOF_HOME: home };
  const name = `lc-${randomBytes(3).toString("hex")}`;
  const clusterDir = join(home, "clusters", name);

  const up = await runCli(
    ["cluster", "up", "--name", name, "--nodes", "2", "--gpus-per-node", "4", "--json", "--bin-dir", binDir],
    { env },
  );
  assert.equal(up.code, 0, up.stderr);
  const info = JSON.parse(up.stdout) as {
    name: string;
    kubeconfig: string;
    server: string;
    timings: { apiReadyMs: number; nodesReadyMs: number };
  };
  t.after(() => runCli(["cluster", "down", "--name", name], { env }));
  assert.deepEqual(Object.keys(info).sort(), ["kubeconfig", "name", "server", "timings"]);
  assert.equal(info.name, name);
  assert.equal(info.kubeconfig, join(clusterDir, "kubeconfig"));
  assert.match(info.server, /^https:\/\/127\.0\.0\.1:\d+$/);
  assert.ok(info.timings.apiReadyMs > 0 && info.timings.nodesReadyMs >= info.timings.apiReadyMs);

  const client = new KubeClient(await loadKubeconfig({ path: info.kubeconfig }));
  try {
    const nodes = await client.request<{
      items: { metadata: { name: string }; status: { capacity: Record<string, string> } }[];
    }>("GET", "/api/v1/nodes");
    assert.deepEqual(
      nodes.items.map((n) => [n.metadata.name, n.status.capacity["nvidia.com/gpu"]]),
      [
        ["kwok-node-0", "4"],
        ["kwok-node-1", "4"],
      ],
    );
  } finally {
    client.close();
  }

  const status = await runCli(["cluster", "status", "--name", name, "--json"], { env });
  assert.equal(status.code, 0, status.stderr);
  const statusJson = JSON.parse(status.stdout) as {
    health: string;
    processes: { name: string; running: boolean }[];
  };
  assert.equal(statusJson.health, "running");
  assert.deepEqual(
    statusJson.processes.map((p) => [p.name, p.running]),
    [
      ["etcd", true],
      ["kube-apiserver", true],
      ["kube-controller-manager", true],
      ["kube-scheduler", true],
      ["kwok", true],
    ],
  );
  const list = await runCli(["cluster", "list", "--json"], { env });
  assert.deepEqual(
    (JSON.parse(list.stdout) as { name: string; health: string }[]).map((c) => [c.name, c.health]),
    [[name, "running"]],
  );

  const again = await runCli(["cluster", "up", "--name", name, "--bin-dir", binDir], { env });
  assert.equal(again.code, 1);
  assert.match(again.stderr, new RegExp(`cluster "${name}" is already running`));
  const reuse = await runCli(["cluster", "up", "--name", name, "--reuse", "--json", "--bin-dir", binDir], {
    env,
  });
  assert.equal(reuse.code, 0, reuse.stderr);
  assert.equal((JSON.parse(reuse.stdout) as { server: string }).server, info.server);

  assert.ok((await processesMentioning(clusterDir)).length >= 5, "the cluster's processes run");
  const down = await runCli(["cluster", "down", "--name", name], { env });
  assert.equal(down.code, 0, down.stderr);
  assert.deepEqual(await processesMentioning(clusterDir), [], "no process of the cluster is left");
  await assert.rejects(access(clusterDir), "the cluster's state directory is removed");
  const after = await runCli(["cluster", "status", "--name", name], { env });
  assert.equal(after.code, 1);
  assert.match(after.stderr, /no cluster named/);
});

test("a start that fails tears down what it started and names the failing component", async (t) => {
  const fakeDir = await mkdtemp(join(tmpdir(), "kp-fake-"));
  const fake = join(fakeDir, "kube-scheduler");
  // Passes the install's version check, then dies at start like a misconfigured binary.
  await writeFile(
    fake,
    '#!/bin/sh\nif [ "$1" = "--version" ]; then echo "Kubernetes v1.36.3"; exit 0; fi\necho "scheduler: boom" >&2\nexit 3\n',
  );
  await chmod(fake, 0o755);
  const binDir = await binDirFor(t, { "kube-scheduler": fake });
  if (!binDir) return;
  const home = await mkdtemp(join(tmpdir(), "kp-home-"));
  const name = "failing";
  const up = await runCli(["cluster", "up", "--name", name, "--bin-dir", binDir], {
    env: { KUBEPROOF_HOME: home },
  });
  assert.equal(up.code, 1);
  assert.match(
    up.stderr,
    /local cluster "failing" failed to start: kube-scheduler exited \(code 3\); see .*kube-scheduler\.log/,
  );
  assert.deepEqual(
    await processesMentioning(join(home, "clusters", name)),
    [],
    "etcd and the API server were stopped",
  );
  const list = await runCli(["cluster", "list", "--json"], { env: { KUBEPROOF_HOME: home } });
  assert.deepEqual(JSON.parse(list.stdout), [{ name, health: "incomplete" }]);
});

test("without binaries, Go or downloads, install fails with how to provide them", async () => {
  const home = await mkdtemp(join(tmpdir(), "kp-home-"));
  const result = await runCli(["cluster", "install"], {
    env: { KUBEPROOF_HOME: home, KUBEPROOF_NO_DOWNLOAD: "1", KUBEPROOF_BIN_DIR: "", PATH: "/nonexistent" },
  });
  assert.equal(result.code, 1);
  assert.match(result.stderr, /Could not install etcd v3\.6\.16 \(etcd\)/);
  assert.match(result.stderr, /- download: disabled/);
  assert.match(result.stderr, /- build: Go is not installed \(no `go` on PATH\)/);
  assert.match(result.stderr, /--bin-dir DIR/);
});

test("bad flags are usage errors (exit 2) and start nothing", async () => {
  const home = await mkdtemp(join(tmpdir(), "kp-home-"));
  const result = await runCli(["cluster", "up", "--nodes", "0"], { env: { KUBEPROOF_HOME: home } });
  assert.equal(result.code, 2);
  assert.match(result.stderr, /--nodes expects a whole number from 1 to 100, got "0"/);
  const badName = await runCli(["cluster", "up", "--name", "Bad_Name"], { env: { KUBEPROOF_HOME: home } });
  assert.equal(badName.code, 2);
  assert.match(badName.stderr, /invalid cluster name "Bad_Name"/);
  const realNodes = await runCli(["cluster", "up", "--real-nodes", "5"], { env: { KUBEPROOF_HOME: home } });
  assert.equal(realNodes.code, 2);
  assert.match(realNodes.stderr, /--real-nodes expects a whole number from 0 to 4, got "5"/);
  const env = { KUBEPROOF_HOME: home };
  const load = await runCli(["cluster", "load", "--name", "none", join(home, "image.tar")], { env });
  assert.equal(load.code, 2);
  assert.match(load.stderr, /no such image archive: .*image\.tar/);
  await writeFile(join(home, "image.tar"), "");
  const noCluster = await runCli(["cluster", "load", "--name", "none", join(home, "image.tar")], { env });
  assert.equal(noCluster.code, 2);
  assert.match(noCluster.stderr, /no running cluster named "none"/);
  const nothing = await runCli(["cluster", "load", "--name", "none"], { env });
  assert.equal(nothing.code, 2);
  assert.match(nothing.stderr, /name at least one image archive, or pass --git-image/);
});

test("a start that does not become ready in time stops what it started and says what it waited for", async (t) => {
  const binDir = await binDirFor(t);
  if (!binDir) return;
  const home = await mkdtemp(join(tmpdir(), "kp-home-"));
  await assert.rejects(
    startLocalCluster({ name: "slow", home, timeoutMs: 300, install: { binDir } }),
    // Every wait that was pending is named; etcd's may or may not have finished by then.
    /local cluster "slow" failed to start: timed out waiting for (etcd to answer \/health, )?the API server to answer \/readyz/,
  );
  assert.deepEqual(await processesMentioning(join(home, "clusters", "slow")), []);
});
