import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { generateServiceAccountKeys } from "../pki.ts";
import { kubeconfigFile, pkiFile } from "./files.ts";
import type { ClusterPart, ControlPlaneNeeds, PrepareContext, RunContext } from "./part.ts";
import { answers } from "./probes.ts";

export const serviceClusterIpRange = "10.96.0.0/16";

/** The part whose readiness is the cluster's `api-ready` phase; parts that use the API come after it. */
export const apiServerPart = "kube-apiserver";

/**
 * etcd, kube-apiserver, kube-controller-manager and kube-scheduler. The API server starts with etcd,
 * not after it: it retries its storage connection by itself, so etcd's start-up overlaps its own. The
 * controller-manager and scheduler start after the API server is ready, because the controller-manager
 * gives up on start when it cannot read its request-header CA from the API (it exited with "connection
 * refused" in about one start of fifteen when started with the others).
 */
export function controlPlaneParts(needs: ControlPlaneNeeds = {}): ClusterPart[] {
  return [etcd, kubeApiserver(needs), kubeControllerManager, kubeScheduler];
}

const etcd: ClusterPart = {
  name: "etcd",
  components: ["etcd"],
  ports: ["etcd-client", "etcd-peer"],
  after: [],
  prepare: async (ctx) => {
    await mkdir(join(ctx.dir, "etcd"), { recursive: true });
  },
  start: (ctx) => {
    ctx.spawn({ name: "etcd", binary: ctx.binary("etcd"), args: etcdArgs(ctx) });
  },
  ready: (ctx) =>
    ctx.waitFor("etcd to answer /health", () =>
      answers(`http://127.0.0.1:${ctx.port("etcd-client")}/health`, '"health":"true"'),
    ),
};

function etcdArgs(ctx: PrepareContext): string[] {
  const client = `http://127.0.0.1:${ctx.port("etcd-client")}`;
  const peer = `http://127.0.0.1:${ctx.port("etcd-peer")}`;
  return [
    "--name=kubeproof",
    `--data-dir=${join(ctx.dir, "etcd")}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=kubeproof=${peer}`,
    // A throwaway test cluster: losing the last writes on a machine crash is fine, fsync latency is not.
    "--unsafe-no-fsync",
    "--log-level=warn",
  ];
}

const kubeApiserver = (needs: ControlPlaneNeeds): ClusterPart => ({
  name: apiServerPart,
  components: ["kubernetes"],
  ports: ["kube-apiserver"],
  after: [...(needs.apiAfter ?? [])],
  prepare: async (ctx) => {
    const serviceAccount = await generateServiceAccountKeys();
    await Promise.all([
      ctx.issueCertificate("apiserver", {
        commonName: "kube-apiserver",
        usage: "server",
        dnsNames: [
          "localhost",
          "kubernetes",
          "kubernetes.default",
          "kubernetes.default.svc",
          "kubernetes.default.svc.cluster.local",
        ],
        ipAddresses: ["127.0.0.1", "10.96.0.1", ...(needs.apiAddress ? [needs.apiAddress] : [])],
      }),
      // Logs, exec and port-forward go from the API server to the nodes' kubelet API.
      ctx.issueCertificate("kube-apiserver-kubelet-client", {
        commonName: "kube-apiserver-kubelet-client",
        organizations: ["system:masters"],
        usage: "client",
      }),
      writeFile(pkiFile(ctx.dir, "sa.pub"), serviceAccount.publicKey, { mode: 0o600 }),
      writeFile(pkiFile(ctx.dir, "sa.key"), serviceAccount.privateKey, { mode: 0o600 }),
    ]);
  },
  start: (ctx) => {
    ctx.spawn({ name: apiServerPart, binary: ctx.binary("kube-apiserver"), args: apiserverArgs(ctx, needs) });
  },
  ready: (ctx) =>
    ctx.waitFor("the API server to answer /readyz", async () => {
      const text = await ctx.client.requestText("GET", "/readyz", { timeoutMs: 2000 }).catch(() => "");
      return text.trim() === "ok";
    }),
});

function apiserverArgs(ctx: PrepareContext, needs: ControlPlaneNeeds): string[] {
  const address = needs.apiAddress ?? "127.0.0.1";
  const pki = (file: string): string => pkiFile(ctx.dir, file);
  return [
    `--etcd-servers=http://127.0.0.1:${ctx.port("etcd-client")}`,
    `--bind-address=${address}`,
    `--advertise-address=${address}`,
    `--secure-port=${ctx.port("kube-apiserver")}`,
    `--cert-dir=${join(ctx.dir, "pki")}`,
    `--tls-cert-file=${pki("apiserver.crt")}`,
    `--tls-private-key-file=${pki("apiserver.key")}`,
    `--client-ca-file=${ctx.ca.cert}`,
    "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
    `--service-account-key-file=${pki("sa.pub")}`,
    `--service-account-signing-key-file=${pki("sa.key")}`,
    `--service-cluster-ip-range=${serviceClusterIpRange}`,
    `--authorization-mode=${[...(needs.authorizers ?? []), "RBAC"].join(",")}`,
    "--allow-privileged=true",
    `--kubelet-client-certificate=${pki("kube-apiserver-kubelet-client.crt")}`,
    `--kubelet-client-key=${pki("kube-apiserver-kubelet-client.key")}`,
    `--kubelet-certificate-authority=${ctx.ca.cert}`,
    "--kubelet-preferred-address-types=InternalIP",
    "--profiling=false",
    "--v=1",
  ];
}

/**
 * The controller-manager's and scheduler's clients default to 20 and 50 requests per second, meant to
 * protect a shared production API server. Parallel tests on a private one hit that limit long before
 * the API server is busy (kwok's client is unlimited already; kwokctl lifts these the same way).
 */
const clientRateLimits = ["--kube-api-qps=5000", "--kube-api-burst=10000"];

/**
 * A controller's files: a kubeconfig with its own client certificate (in `system:masters`), and a
 * serving certificate for its health port. Issued here, not generated by the component at start: it
 * would generate an RSA key, and it starts only once the API server is ready, on the critical path.
 */
async function writeControllerFiles(ctx: PrepareContext, name: string): Promise<void> {
  await Promise.all([
    ctx.writeKubeconfig(name, { commonName: name, organizations: ["system:masters"] }),
    ctx.issueCertificate(`${name}-serving`, {
      commonName: name,
      usage: "server",
      dnsNames: ["localhost"],
      ipAddresses: ["127.0.0.1"],
    }),
  ]);
}

/** The flags the controller-manager and the scheduler share: kubeconfigs, serving, rate limits. */
function controllerArgs(ctx: PrepareContext, name: string): string[] {
  const kubeconfig = kubeconfigFile(ctx.dir, name);
  return [
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    "--bind-address=127.0.0.1",
    `--secure-port=${ctx.port(name)}`,
    `--tls-cert-file=${pkiFile(ctx.dir, `${name}-serving.crt`)}`,
    `--tls-private-key-file=${pkiFile(ctx.dir, `${name}-serving.key`)}`,
    "--leader-elect=false",
    ...clientRateLimits,
    "--profiling=false",
    "--v=1",
  ];
}

const kubeControllerManager: ClusterPart = {
  name: "kube-controller-manager",
  components: ["kubernetes"],
  ports: ["kube-controller-manager"],
  after: [apiServerPart],
  prepare: async (ctx) => {
    await writeControllerFiles(ctx, "kube-controller-manager");
  },
  start: async (ctx) => {
    ctx.spawn({
      name: "kube-controller-manager",
      binary: ctx.binary("kube-controller-manager"),
      args: [
        ...controllerArgs(ctx, "kube-controller-manager"),
        `--service-account-private-key-file=${pkiFile(ctx.dir, "sa.key")}`,
        `--root-ca-file=${ctx.ca.cert}`,
        `--cluster-signing-cert-file=${ctx.ca.cert}`,
        `--cluster-signing-key-file=${ctx.ca.key}`,
        `--service-cluster-ip-range=${serviceClusterIpRange}`,
        // The controller-manager's own provisioner for the default StorageClass below: it creates a
        // hostPath volume (an empty /tmp/hostpath_pv/<uuid> directory here) for each claim, and deletes
        // it with the claim. Nothing mounts it on kwok's nodes; it exists so that claims bind.
        // Teardown removes the folder when it is empty (teardown.ts).
        "--enable-hostpath-provisioner=true",
      ],
    });
    await ctx.client.request("POST", "/apis/storage.k8s.io/v1/storageclasses", { body: defaultStorageClass });
  },
  // Pods need their namespace's default service account, which the controller-manager creates.
  ready: (ctx: RunContext) =>
    ctx.waitFor("the default service account (kube-controller-manager)", () =>
      ctx.client
        .request("GET", "/api/v1/namespaces/default/serviceaccounts/default")
        .then(() => true)
        .catch(() => false),
    ),
};

/**
 * The default StorageClass, so that a PersistentVolumeClaim that names no class binds, as on kind
 * (whose default class is also called `standard`). Immediate binding: a claim binds when it is
 * created, before a pod uses it, which also satisfies tests written for kind's WaitForFirstConsumer.
 */
const defaultStorageClass = {
  apiVersion: "storage.k8s.io/v1",
  kind: "StorageClass",
  metadata: { name: "standard", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
  provisioner: "kubernetes.io/host-path",
  reclaimPolicy: "Delete",
  volumeBindingMode: "Immediate",
};

const kubeScheduler: ClusterPart = {
  name: "kube-scheduler",
  components: ["kubernetes"],
  ports: ["kube-scheduler"],
  after: [apiServerPart],
  prepare: async (ctx) => {
    await writeControllerFiles(ctx, "kube-scheduler");
  },
  start: (ctx) => {
    ctx.spawn({
      name: "kube-scheduler",
      binary: ctx.binary("kube-scheduler"),
      args: controllerArgs(ctx, "kube-scheduler"),
    });
  },
  ready: (ctx) =>
    ctx.waitFor("kube-scheduler to answer /healthz", () =>
      answers(`https://127.0.0.1:${ctx.port("kube-scheduler")}/healthz`, "ok"),
    ),
};
