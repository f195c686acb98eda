import { validateGate } from "../gate/config-file.ts";
import type { GateConfig } from "../gate/config.ts";
import { readGateSection, type ReadGateSectionOptions } from "../load/gate-section.ts";

export interface LoadedGateConfig {
  /** Absolute path of the file. */
  file: string;
  gate: GateConfig;
}

/**
 * The gate configuration of `kubeproof gate`: the loader finds the file and its gate section, the gate
 * validates the section. Composed here, above both, because the gate does not import the loader.
 * Throws `LoadErrors` with positions.
 */
export function loadGateConfig(options: ReadGateSectionOptions): LoadedGateConfig {
  const section = readGateSection(options);
  return { file: section.file, gate: validateGate(section.doc, section.path) };
}
