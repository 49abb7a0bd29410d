import { OutpostLabels } from "@outpost/types";

// Every container, volume and image Outpost creates carries these labels, so what runs is always
// re-readable from the engine, and the node label keeps several nodes (and tests) sharing one engine
// from adopting each other's objects.

/** The value of the owner label on everything Outpost creates. */
export const OWNER = "outpost";

export interface LabelFields {
  /** The node's root directory (Layout.root). Required: nothing is created unowned. */
  node: string;
  app?: string;
  version?: string;
  volume?: string;
  contentTree?: string;
}

/** The full label set for an object this node creates. */
export function outpostLabels(f: LabelFields): Record<string, string> {
  const labels: Record<string, string> = { [OutpostLabels.owner]: OWNER, [OutpostLabels.node]: f.node };
  if (f.app !== undefined) labels[OutpostLabels.app] = f.app;
  if (f.version !== undefined) labels[OutpostLabels.version] = f.version;
  if (f.volume !== undefined) labels[OutpostLabels.volume] = f.volume;
  if (f.contentTree !== undefined) labels[OutpostLabels.contentTree] = f.contentTree;
  return labels;
}

/** Docker `label=` filter values ("k=v") selecting objects carrying all of `labels`. */
export function labelFilter(labels: Record<string, string>): string[] {
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`);
}

/** The filter for everything one node owns. */
export function nodeFilter(node: string): string[] {
  return labelFilter({ [OutpostLabels.owner]: OWNER, [OutpostLabels.node]: node });
}
