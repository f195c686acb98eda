import { execInPod } from "../../kube/exec.ts";
import type { ExecOperation } from "../../model/index.ts";
import { errorMessage } from "../../source/errors.ts";
import { templateString } from "../../template/template.ts";
import { operationBindings } from "../common.ts";
import { choosePod } from "../incluster/target.ts";
import { judgeProcessResult } from "../process/check.ts";
import type { OperationContext, OperationOutcome } from "../types.ts";

/**
 * exec: runs the command in the pod's container through the API server's exec subresource, then
 * judges it exactly as script and command are judged (`judgeProcessResult`).
 */
export async function runExec(
  operation: ExecOperation,
  context: OperationContext,
): Promise<OperationOutcome> {
  const bindings = operationBindings(context, operation.bindings);
  const command = operation.command.map((arg) => templateString(arg, bindings));
  const pod = await choosePod(operation.pod, bindings, context);
  const container = operation.container
    ? templateString(operation.container, bindings)
    : (pod.spec?.containers?.[0]?.name ?? "");
  let result: { stdout: string; stderr: string; exitCode: number | null };
  let error: string | undefined;
  try {
    result = await execInPod({
      kubeconfig: context.kubeconfig,
      namespace: pod.namespace,
      pod: pod.metadata.name,
      container,
      command,
      timeoutMs: context.timeoutMs,
    });
    if (result.exitCode !== 0) error = `exit status ${result.exitCode}`;
  } catch (failure) {
    // No answer from the container (timed out, no such container): the process's error, not a crash.
    result = { stdout: "", stderr: "", exitCode: null };
    error = errorMessage(failure);
  }
  return judgeProcessResult({
    result,
    error,
    check: operation.check,
    bindings,
    skipLogOutput: operation.skipLogOutput,
    location: operation.location,
    describe: () => `exec in ${pod.namespace}/${pod.metadata.name} (${container}): ${command.join(" ")}`,
    outputs: operation.outputs,
    outer: context.bindings,
  });
}
