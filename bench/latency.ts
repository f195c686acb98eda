/**
 * `npm run bench:latency`: how long after an object reaches the asserted state the assertion passes.
 * For each sample an `assert` operation waits (watch-driven) for a ConfigMap value; the benchmark then
 * writes that value and measures from just before the write to the assertion passing. Runs on the
 * local cluster (started or reused). Last line: `medianMs=<n> p95Ms=<n> samples=<n>`.
 *   BENCH_SAMPLES=60 (default)
 */
import { setTimeout as sleep } from "node:timers/promises";
import { startLocalCluster } from "../src/cluster/local-cluster.ts";
import { KubeClient } from "../src/kube/client.ts";
import { loadKubeconfig } from "../src/kube/kubeconfig.ts";
import { Resources } from "../src/kube/resources.ts";
import type { AssertOperation, SourceDocument } from "../src/model/index.ts";
import { runOperation } from "../src/ops/index.ts";
import { Bindings } from "../src/template/bindings.ts";
import { median, percentile } from "./stats.ts";

const samples = Number(process.env.BENCH_SAMPLES ?? 60);

function doc(value: unknown): SourceDocument {
  const location = { file: "bench", line: 1, col: 1 };
  return { value, location, locate: () => location };
}

async function main(): Promise<void> {
  const cluster = await startLocalCluster({ name: "kubeproof", nodes: 2, reuse: true });
  try {
    const client = new KubeClient(await loadKubeconfig({ path: cluster.kubeconfig }));
    const resources = new Resources(client);
    const namespace = `bench-latency-${Date.now()}`;
    await resources.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } });
    await resources.create({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "target", namespace },
      data: { v: "start" },
    });
    const latencies: number[] = [];
    try {
      for (let i = 0; i < samples; i++) {
        const operation: AssertOperation = {
          type: "assert",
          location: { file: "bench", line: 1, col: 1 },
          bindings: [],
          outputs: [],
          template: false,
          continueOnError: false,
          listMatch: "exact",
          mode: "eventually",
          resources: [
            doc({
              apiVersion: "v1",
              kind: "ConfigMap",
              metadata: { name: "target" },
              data: { v: `value-${i}` },
            }),
          ],
        };
        let passedAt = 0;
        const assertion = runOperation(operation, {
          resources,
          client,
          kubeconfig: cluster.kubeconfig,
          namespace,
          bindings: Bindings.empty(),
          signal: AbortSignal.timeout(30_000),
          timeoutMs: 30_000,
          labels: {},
          baseDir: process.cwd(),
          onCreated: () => {},
          onLeftover: () => {},
          propagation: "Background",
        }).then((outcome) => {
          passedAt = performance.now();
          return outcome;
        });
        // Let the assertion list and open its watch, as it would while a controller works.
        await sleep(150);
        const writtenAt = performance.now();
        await client.request("PATCH", `/api/v1/namespaces/${namespace}/configmaps/target`, {
          body: { data: { v: `value-${i}` } },
          contentType: "application/merge-patch+json",
        });
        const outcome = await assertion;
        if (outcome.status !== "passed")
          throw new Error(`sample ${i}: assertion failed: ${outcome.error?.message}`);
        latencies.push(passedAt - writtenAt);
      }
    } finally {
      await resources.delete({ apiVersion: "v1", kind: "Namespace", name: namespace }).catch(() => {});
      client.close();
    }
    console.log(
      `min ${Math.min(...latencies).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms over ${latencies.length} samples (write to assertion passing, watch-driven)`,
    );
    console.log(
      `medianMs=${median(latencies)} p95Ms=${percentile(latencies, 95)} samples=${latencies.length}`,
    );
  } finally {
    // A cluster this bench started is stopped; one it found running is left as it was.
    if (!cluster.reused) await cluster.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
