/**
 * Step names, one pure module for both sides: the workflow tracks progress under these names
 * and each activity records its `run_steps` row under the same one.
 */
export const steps = {
  ingest: 'ingest',
  regimeLabel: 'regimeLabel',
  dataset: (task: string) => `balancedSample:${task}`,
  featurePlan: (task: string) => `featureShards:${task}`,
  featureShard: (task: string, shard: number) => `featureShard:${task}:${shard}`,
  plan: (task: string) => `plan:${task}`,
  fit: (task: string, candidate: string, fold: number) => `fit:${task}:${candidate}:${fold}`,
  assess: (task: string) => `evaluate:${task}`,
  refit: (task: string, candidate: string) => `refit:${task}:${candidate}`,
  refitMeta: (task: string) => `refit:${task}:meta`,
  monitor: (task: string) => `monitor:${task}`,
  gate: (task: string) => `promotionGate:${task}`,
  report: 'report',
} as const;

/** Stages shown by the `progress` query and the run row, in pipeline order. */
export const STAGES = ['starting', 'ingest', 'regimeLabel', 'balancedSample', 'train', 'evaluatePerRegime', 'refit', 'monitor', 'awaitingApproval', 'promotionGate', 'report', 'completed'] as const;
export type Stage = (typeof STAGES)[number] | 'failed' | 'cancelled';
