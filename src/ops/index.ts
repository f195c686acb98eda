import type { Operation } from "../model/index.ts";
import { runApply } from "./apply.ts";
import { runAssert } from "./assert.ts";
import { runDelete } from "./delete.ts";
import { runInspect } from "./inspect.ts";
import { runProcess } from "./process.ts";
import { runSleep } from "./sleep.ts";
import type { OperationContext, OperationOutcome } from "./types.ts";
import { runWait } from "./wait.ts";

export type { CreatedObject, OperationContext, OperationOutcome } from "./types.ts";

/** Runs one operation of any type: the single dispatch point from the runner to the operations. */
export function runOperation(operation: Operation, context: OperationContext): Promise<OperationOutcome> {
  switch (operation.type) {
    case "apply":
    case "create":
    case "update":
    case "patch":
      return runApply(operation, context);
    case "delete":
      return runDelete(operation, context);
    case "assert":
    case "error":
      return runAssert(operation, context);
    case "wait":
      return runWait(operation, context);
    case "sleep":
      return runSleep(operation, context);
    case "script":
    case "command":
      return runProcess(operation, context);
    case "get":
    case "describe":
    case "events":
    case "podLogs":
      return runInspect(operation, context);
  }
}
