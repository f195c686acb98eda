import { RUNNER_SCRIPT, WORKSPACE_DIR } from "./scripts.ts";

/**
 * `cluster: embedded`: the checks container starts kubeproof's local cluster (kwok nodes, no
 * privileges) inside its own pod before the checks, gives them its kubeconfig in `KUBECONFIG`, and
 * stops it after them, so `make test-e2e` has a cluster without Docker or a privileged pod. The image
 * needs `kubeproof` on its PATH and the cluster's binaries (kubeproof's own image has both).
 */

export const EMBEDDED_CLUSTER_NAME = "gate";
/** The cluster's state, certificates and etcd data live on the pod's emptyDir. */
export const EMBEDDED_KUBEPROOF_HOME = `${WORKSPACE_DIR}/kubeproof`;
export const EMBEDDED_KUBECONFIG = `${EMBEDDED_KUBEPROOF_HOME}/clusters/${EMBEDDED_CLUSTER_NAME}/kubeconfig`;
/**
 * What starting and stopping the cluster may take, counted in the tier's budget: `cluster up` gives up
 * after 2 minutes, and stopping takes seconds.
 */
export const EMBEDDED_CLUSTER_SECONDS = 150;

/** The variables the checks container gets on top of the runner's. */
export function embeddedClusterEnv(): { name: string; value: string }[] {
  return [
    { name: "KUBEPROOF_HOME", value: EMBEDDED_KUBEPROOF_HOME },
    { name: "KUBECONFIG", value: EMBEDDED_KUBECONFIG },
  ];
}

/** A constant in single quotes for sh: every `'` becomes `'\''`. */
function quoted(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * Starts the cluster, runs the usual runner (RUNNER_SCRIPT, unchanged) with TERM passed on to it, and
 * stops the cluster whatever happened. A cluster that does not start is reported like a runner that
 * could not start: an `error` in the summary, the checks not run, `cluster up`'s output in the log.
 */
export const EMBEDDED_RUNNER_SCRIPT = String.raw`set -u
result="${"$"}{KUBEPROOF_RESULT_FILE:-/dev/termination-log}"
name='${EMBEDDED_CLUSTER_NAME}'
mkdir -p "${"$"}{HOME:-/tmp}" "${"$"}{TMPDIR:-/tmp}" 2>/dev/null || :
not_started() {
  printf '{"v":1,"checks":[],"error":"%s"}' "$1" >"$result"
  exit 1
}
command -v kubeproof >/dev/null 2>&1 ||
  not_started "cluster: embedded needs kubeproof on the image's PATH; use kubeproof's image (npm run image:build)"
printf 'kubeproof gate: starting the embedded cluster\n'
if ! kubeproof cluster up --name "$name" 2>&1; then
  kubeproof cluster down --name "$name" >/dev/null 2>&1
  not_started "the embedded cluster did not start; its output is in the log before the first check"
fi
runner=''
term=0
on_term() { term=1; [ -z "$runner" ] || kill -s TERM "$runner" 2>/dev/null; }
trap on_term TERM INT
sh -c ${quoted(RUNNER_SCRIPT)} &
runner=$!
wait "$runner"; code=$?
# wait returns early when the TERM trap ran; the runner was told to stop, wait for it again.
if [ "$term" = 1 ]; then wait "$runner"; code=$?; fi
kubeproof cluster down --name "$name" >/dev/null 2>&1 || printf 'kubeproof gate: stopping the embedded cluster failed\n'
exit "$code"
`;
