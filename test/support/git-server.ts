import { join } from "node:path";
import { loadImages } from "../../src/cluster/local-cluster.ts";
import { gitImage, writeGitImage } from "../../src/cluster/providers/real/git-image.ts";
import { KubeClient } from "../../src/kube/client.ts";
import { loadKubeconfig } from "../../src/kube/kubeconfig.ts";
import { Resources } from "../../src/kube/resources.ts";
import { realKubeconfig } from "./real-node.ts";
import { waitUntil } from "./wait.ts";

type Obj = Record<string, any>;

/**
 * A repository served on the real-node cluster for the gate's Job to clone: `git http-backend` run
 * as CGI by busybox httpd, in a pod of the git image built from this machine's git, behind a Service
 * `git` on port 8080 (`http://git.<namespace>.svc.cluster.local:8080/cgi-bin/git/repo.git`).
 */

/**
 * Loads the git image into the real-node cluster (its archive written to `dir`) and creates
 * `namespace` enforcing the Pod Security "restricted" profile, as a gate's namespace would.
 */
export async function openGateNamespace(
  namespace: string,
  dir: string,
): Promise<{ client: KubeClient; resources: Resources }> {
  const client = new KubeClient(await loadKubeconfig({ path: realKubeconfig }));
  const resources = new Resources(client);
  const archive = join(dir, "git-image.tar");
  await writeGitImage(archive);
  await loadImages(process.env.KUBEPROOF_TEST_REAL_CLUSTER!, [archive]);
  await resources.create({
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: namespace, labels: { "pod-security.kubernetes.io/enforce": "restricted" } },
  });
  return { client, resources };
}

export const restricted = {
  runAsNonRoot: true,
  runAsUser: 1000,
  runAsGroup: 1000,
  fsGroup: 1000,
  seccompProfile: { type: "RuntimeDefault" },
};
export const dropAll = { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } };

/** Turns the bundle into a bare repository and serves it with `git http-backend` on port 8080. */
const SERVE = String.raw`set -eu
mkdir -p /srv/www/cgi-bin /srv/home
git clone -q --mirror /bundle/repo.bundle /srv/repo.git
# A commit that is not a branch tip, by its SHA: protocol v2 allows it (GIT_PROTOCOL below), this v0 too.
git -C /srv/repo.git config uploadpack.allowReachableSHA1InWant true
cat >/srv/www/cgi-bin/git <<'EOF'
#!/bin/sh
export GIT_PROJECT_ROOT=/srv GIT_HTTP_EXPORT_ALL=1
[ -z "${"$"}{HTTP_GIT_PROTOCOL:-}" ] || export GIT_PROTOCOL="$HTTP_GIT_PROTOCOL"
exec git http-backend
EOF
chmod +x /srv/www/cgi-bin/git
exec httpd -f -p 8080 -h /srv/www
`;

/** The repository's server: a pod of the git image and a Service `git` in front of it. */
export async function serveRepository(
  resources: Resources,
  namespace: string,
  bundle: Buffer,
): Promise<void> {
  await resources.create({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "repo", namespace },
    binaryData: { "repo.bundle": bundle.toString("base64") },
  });
  const labels = { app: "git" };
  await resources.create({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "git", namespace, labels },
    spec: {
      securityContext: restricted,
      terminationGracePeriodSeconds: 0,
      containers: [
        {
          name: "git",
          image: gitImage,
          command: ["sh", "-c", SERVE],
          env: [{ name: "HOME", value: "/srv/home" }],
          ports: [{ containerPort: 8080 }],
          readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 },
          securityContext: dropAll,
          volumeMounts: [
            { name: "bundle", mountPath: "/bundle" },
            { name: "srv", mountPath: "/srv" },
          ],
        },
      ],
      volumes: [
        { name: "bundle", configMap: { name: "repo" } },
        { name: "srv", emptyDir: {} },
      ],
    },
  });
  await resources.create({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "git", namespace },
    spec: { selector: labels, ports: [{ port: 8080, targetPort: 8080 }] },
  });
  await waitUntil(
    "the git server to be Ready",
    async () => {
      const pod = await resources.get({ apiVersion: "v1", kind: "Pod", namespace, name: "git" });
      const conditions = (pod?.status as Obj | undefined)?.conditions as Obj[] | undefined;
      return conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
    },
    120_000,
  );
}
