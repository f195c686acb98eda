/** Expected terminal output for the synthetic run in events.ts, shared by the list, line and dot tests. */

export const HEADER = `Running 4 tests using 2 workers against local cluster "kubeproof"

cluster: local cluster ready in 3.1s
`;

export const failedBlock = (n: number): string => `
  ${n}) e2e/widget/chainsaw-test.yaml:3 › widget-scales-out

    step scale › assert at e2e/widget/chainsaw-test.yaml:27:7
    on example.com/v1/Widget kp-widget-7f3a/big

    .status.readyReplicas: expected 3, got 1
      at e2e/widget/chainsaw-test.yaml:31:11

      --- expected
      +++ actual
      @@ -3,4 +3,4 @@
       metadata:
         name: big
       status:
      -  readyReplicas: 3
      +  readyReplicas: 1

    also:
      - .status.phase: expected Ready, got Pending (e2e/widget/chainsaw-test.yaml:32:11)

    cleanup: namespace kp-widget-7f3a still terminating: finalizer example.com/block
    namespace: kp-widget-7f3a
    artifacts: .kubeproof/artifacts/widget-scales-out
`;

export const flakyBlock = (n: number): string => `
  ${n}) e2e/metrics/chainsaw-test.yaml:2 › metrics-endpoint (flaky)

    flaky: attempt 1 of 2 failed, attempt 2 passed

    step probe › script at e2e/metrics/chainsaw-test.yaml:7:7

    script exited with code 7

    stdout:
      GET /metrics

    stderr:
      curl: (7) Failed to connect

    namespace: kp-metrics-1
    artifacts: .kubeproof/artifacts/metrics-endpoint-1
`;

/** After the run (list, dot): failures before flaky tests. */
export const FAILURES = failedBlock(1) + flakyBlock(2);

export const SUMMARY = `
  1 passed, 1 failed, 1 flaky, 1 skipped (33.5s)
`;
