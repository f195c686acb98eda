import * as z from "zod";
import { duration } from "../../source/schema-kit.ts";
import { defineUnit } from "../unit.ts";
import { runSleep } from "./exec.ts";

/** sleep: waits its duration; an interrupt ends it early. */

const schema = z.strictObject({ duration: duration("How long to sleep, e.g. 10s.") });

/**
 * Chainsaw gives sleep no configurable timeout: the duration is the point. The deadline is the
 * duration plus this margin, not scaled by the timeout multiplier, so only an interrupt ends it early.
 */
export const SLEEP_MARGIN_MS = 60_000;

export const sleepUnit = defineUnit({
  type: "sleep",
  inCatch: true,
  schema: () => schema,
  convert: (v, cc) => ({ ...cc.base({}), type: "sleep", durationMs: v.duration }),
  timeout: { derived: (operation) => operation.durationMs + SLEEP_MARGIN_MS },
  exec: runSleep,
});
