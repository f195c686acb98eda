// @peculiar/x509 needs the Reflect metadata polyfill loaded before it.
import "reflect-metadata";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import * as x509 from "@peculiar/x509";
import { startLocalCluster } from "../../src/cluster/local-cluster.ts";
import type { ClusterPart, RunContext } from "../../src/cluster/parts/part.ts";
import { checkParts, runParts } from "../../src/cluster/parts/run.ts";
import { removeIfEmpty, teardownParts } from "../../src/cluster/parts/teardown.ts";
import { createCertificateAuthority } from "../../src/cluster/pki.ts";
import { isRunning, spawnComponent } from "../../src/cluster/processes.ts";
import { clusterStatus, readState, type PartRecord } from "../../src/cluster/state.ts";

/** A promise with its resolve function, so a test decides when a fake part becomes ready. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function fakePart(name: string, after: string[], log: string[], ready?: Promise<void>): ClusterPart {
  return {
    name,
    components: [],
    ports: [],
    after,
    prepare: async () => {},
    start: () => {
      log.push(`${name} start`);
    },
    ready: async () => {
      await ready;
      log.push(`${name} ready`);
    },
  };
}

describe("cluster parts", () => {
  test("a part starts only once every part it comes after is ready", async () => {
    const log: string[] = [];
    const api = deferred();
    const parts = [
      fakePart("etcd", [], log),
      fakePart("api", [], log, api.promise),
      fakePart("controllers", ["api"], log),
      fakePart("nodes", ["api", "etcd"], log),
    ];
    const signal = new AbortController().signal;
    const started: string[] = [];
    const running = runParts(parts, () => ({ signal }) as RunContext, {
      started: (part) => started.push(part.name),
      ready: () => {},
      failed: (reason) => assert.fail(String(reason)),
    });
    // Let everything that can run without the API run.
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(started.sort(), ["api", "etcd"]);
    api.resolve();
    await running;
    const apiReady = log.indexOf("api ready");
    assert.ok(log.indexOf("controllers start") > apiReady, log.join(", "));
    assert.ok(log.indexOf("nodes start") > apiReady, log.join(", "));
    assert.ok(log.indexOf("nodes start") > log.indexOf("etcd ready"), log.join(", "));
  });

  test("a failing part fails the start once, and what waits for it never starts", async () => {
    const log: string[] = [];
    const failing: ClusterPart = {
      ...fakePart("api", [], log),
      ready: () => Promise.reject(new Error("api exited (code 1)")),
    };
    const failures: unknown[] = [];
    const abort = new AbortController();
    await assert.rejects(
      runParts(
        [failing, fakePart("controllers", ["api"], log), fakePart("etcd", [], log)],
        () => ({ signal: abort.signal }) as RunContext,
        {
          started: () => {},
          ready: () => {},
          failed: (reason) => {
            failures.push(reason);
            abort.abort(reason);
          },
        },
      ),
      /api exited \(code 1\)/,
    );
    assert.equal(failures.length, 1);
    assert.deepEqual(log, ["api start", "etcd start", "etcd ready"]);
  });

  test("declarations are checked before anything starts: unknown, cyclic, duplicate parts and ports", () => {
    const log: string[] = [];
    assert.throws(
      () => checkParts([fakePart("a", ["b"], log)]),
      /part "a" comes after "b", which is not a part/,
    );
    assert.throws(
      () => checkParts([fakePart("a", ["b"], log), fakePart("b", ["a"], log)]),
      /cluster parts wait for each other: a -> b -> a/,
    );
    assert.throws(
      () => checkParts([fakePart("a", [], log), fakePart("a", [], log)]),
      /two cluster parts are named "a"/,
    );
    assert.throws(
      () =>
        checkParts([
          { ...fakePart("a", [], log), ports: ["p"] },
          { ...fakePart("b", [], log), ports: ["p"] },
        ]),
      /parts "a" and "b" both ask for port "p"/,
    );
  });

  test("node counts are checked before anything is installed or started", async () => {
    const home = await mkdtemp(join(tmpdir(), "kp-home-"));
    await assert.rejects(
      startLocalCluster({ home, nodes: { kwok: 0 } }),
      /--nodes must be 1-100, got \{"kwok":0\}/,
    );
    await assert.rejects(startLocalCluster({ home, nodes: 101 }), /--nodes must be 1-100, got 101/);
  });
});

describe("tearing down recorded parts", () => {
  async function clusterWithSleepers(names: string[]): Promise<{ dir: string; records: PartRecord[] }> {
    const dir = await mkdtemp(join(tmpdir(), "kp-parts-"));
    await mkdir(join(dir, "logs"));
    const records = names.map((name, i): PartRecord => {
      // The cluster directory on the command line is how teardown knows a process as the cluster's.
      const process = spawnComponent(name, "/bin/sh", ["-c", "sleep 600", dir], dir);
      return {
        name,
        provider: "fake",
        after: names.slice(0, i),
        nodes: [],
        processes: [{ name, pid: process.pid, logFile: process.logFile }],
        resources: { netns: `ns-${name}` },
      };
    });
    return { dir, records };
  }

  test("stops every process first, then runs provider cleanups with their records, dependents first", async () => {
    const { dir, records } = await clusterWithSleepers(["base", "middle", "top"]);
    const calls: { name: string; resources: unknown; processesAlive: boolean }[] = [];
    await teardownParts(
      records,
      { clusterName: "t", dir },
      {
        fake: {
          cleanup: (record) => {
            calls.push({
              name: record.name,
              resources: record.resources,
              processesAlive: records.some((r) => r.processes.some((p) => isRunning(p.pid))),
            });
            return Promise.resolve();
          },
        },
      },
    );
    assert.deepEqual(calls, [
      { name: "top", resources: { netns: "ns-top" }, processesAlive: false },
      { name: "middle", resources: { netns: "ns-middle" }, processesAlive: false },
      { name: "base", resources: { netns: "ns-base" }, processesAlive: false },
    ]);
  });

  test("a failing cleanup does not stop the others, and the failures are thrown together", async () => {
    const { dir, records } = await clusterWithSleepers(["a", "b"]);
    const cleaned: string[] = [];
    const unknown: PartRecord = { ...records[0], name: "c", provider: "gone", processes: [], after: [] };
    await assert.rejects(
      teardownParts(
        [...records, unknown],
        { clusterName: "t", dir },
        {
          fake: {
            cleanup: (record) => {
              cleaned.push(record.name);
              if (record.name === "b") return Promise.reject(new Error("umount: target is busy"));
              return Promise.resolve();
            },
          },
        },
      ),
      (error: Error) => {
        assert.match(error.message, /part b: umount: target is busy/);
        assert.match(error.message, /part c: node provider "gone" is unknown to this kubeproof/);
        return true;
      },
    );
    assert.deepEqual(cleaned.sort(), ["a", "b"]);
    assert.ok(records.every((r) => r.processes.every((p) => !isRunning(p.pid))));
  });

  test("a cluster.json from before parts reads as one part holding its processes", async () => {
    const home = await mkdtemp(join(tmpdir(), "kp-home-"));
    const dir = join(home, "clusters", "old");
    await mkdir(dir, { recursive: true });
    const processes = [{ name: "etcd", pid: 123456789, logFile: join(dir, "logs", "etcd.log") }];
    await writeFile(join(dir, "cluster.json"), JSON.stringify({ name: "old", dir, nodes: 1, processes }));
    const state = await readState("old", home);
    assert.deepEqual(state?.parts, [{ name: "processes", after: [], nodes: [], processes, resources: {} }]);
    assert.equal((await clusterStatus(state)).health, "stopped");
  });

  test("a cluster.json written before its first process started is a stopped cluster, not a running one", async () => {
    const home = await mkdtemp(join(tmpdir(), "kp-home-"));
    const dir = join(home, "clusters", "early");
    await mkdir(dir, { recursive: true });
    const parts = [{ name: "etcd", after: [], nodes: [], processes: [], resources: {} }];
    await writeFile(join(dir, "cluster.json"), JSON.stringify({ name: "early", dir, nodes: 1, parts }));
    const state = await readState("early", home);
    assert.ok(state);
    assert.equal((await clusterStatus(state)).health, "stopped");
  });
});

test("the CA issues what a part asks for: subject groups, usage and SANs, signed by the cluster CA", async () => {
  const ca = await createCertificateAuthority();
  const pair = await ca.issue({
    commonName: "system:node:real-node-0",
    organizations: ["system:nodes"],
    usage: "server",
    dnsNames: ["real-node-0"],
    ipAddresses: ["10.250.0.2"],
  });
  const cert = new x509.X509Certificate(pair.cert);
  const caCert = new x509.X509Certificate(ca.pem.cert);
  assert.equal(cert.subject, "CN=system:node:real-node-0, O=system:nodes");
  assert.equal(cert.issuer, caCert.subject);
  assert.ok(await cert.verify({ publicKey: caCert.publicKey, signatureOnly: true }));
  const sans = cert.getExtension(x509.SubjectAlternativeNameExtension);
  assert.deepEqual(
    sans?.names.toJSON().map((n) => `${n.type}:${n.value}`),
    ["dns:real-node-0", "ip:10.250.0.2"],
  );
  const usages = cert.getExtension(x509.ExtendedKeyUsageExtension)?.usages;
  assert.deepEqual([...(usages ?? [])], [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]);
  assert.match(pair.key, /^-----BEGIN PRIVATE KEY-----/);
});

describe("removeIfEmpty (the hostPath provisioner's folder at teardown)", () => {
  test("removes an empty folder, keeps one that holds volumes, and ignores a missing one", async () => {
    const root = await mkdtemp(join(tmpdir(), "kp-hostpath-"));
    try {
      const empty = join(root, "empty");
      const held = join(root, "held");
      await mkdir(empty);
      await mkdir(join(held, "pv-1"), { recursive: true });
      await removeIfEmpty(empty);
      await removeIfEmpty(held);
      await removeIfEmpty(join(root, "missing"));
      assert.equal(existsSync(empty), false);
      assert.equal(existsSync(join(held, "pv-1")), true);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
