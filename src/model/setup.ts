import type { CommandOperation, ScriptOperation } from "./operation.ts";
import type { SourceDocument, SourceLocation } from "./source.ts";

/**
 * What a suite installs and starts once, before its first test: kuttl's TestSuite `crdDir`,
 * `manifestDirs` and `commands`, or the `setup` section of kubeproof.yaml. In order: the CRDs are
 * applied and waited for until Established, then the manifests are applied, then the commands run one
 * after the other. Nothing it applies is deleted at the end of the run (kuttl deletes none of it
 * either); background commands are stopped when the last test has ended.
 */
export interface SuiteSetup {
  /** What wrote it: `kuttl-test.yaml`'s TestSuite, or the configuration's `setup`, for messages. */
  location: SourceLocation;
  /** CustomResourceDefinitions, applied (create, or merge patch when they exist) and then waited for. */
  crds: SourceDocument[];
  /** Objects applied after the CRDs are Established, in order. */
  manifests: SourceDocument[];
  /** Run in order after the manifests; a failing one (without continueOnError) fails the set-up. */
  commands: SetupCommand[];
  /** Namespaced objects that name no namespace go here, and commands see it as `$NAMESPACE`. */
  namespace: string;
  /** Directory commands run in (relative `workDir`s resolve from it). */
  baseDir: string;
  /** How long each object may take to apply (transient errors are retried until then). */
  applyTimeoutMs: number;
  /** How long the CRDs may take to become Established. */
  establishTimeoutMs: number;
  /** Said once when the set-up runs (objects of crdDir that are not CRDs and were skipped, say). */
  notes: string[];
}

export interface SetupCommand {
  /** A command's own `timeoutMs` bounds it; without one it may run until the run is interrupted. */
  operation: ScriptOperation | CommandOperation;
  /** Started and left running for the whole run, then stopped after the last test (kuttl's `background`). */
  background: boolean;
}
