import type { DatasetConfig } from '../../datasets/config';
import { Trm } from '../../models/trm/trm';
import { TRM_WEEKLY_PROFILE } from '../../models/trm/trmProfiles';
import { candidateHash, META_KIND } from './candidates';
import type { CandidateSpec } from './fitCandidate';

/**
 * The run's candidates: each requested kind with its parameters (the TRM's weekly profile,
 * then the run's overrides). Fixed once in the plan so every fold fits the same thing.
 */
export async function runCandidates(kinds: string[], overrides: Record<string, Record<string, unknown>>): Promise<CandidateSpec[]> {
  const profile = kinds.includes(Trm.NAME) ? TRM_WEEKLY_PROFILE : {};
  return kinds.map((kind) => ({ kind, params: { ...(kind === Trm.NAME ? profile : {}), ...(overrides[kind] ?? {}) } }));
}

/**
 * Where the champion's configuration is among the candidates: the same kind with the same
 * hash is that candidate; a meta-learner champion is the run's meta when it has one (else it
 * cannot be evaluated: null); any other
 * configuration is evaluated as an extra candidate keyed `champion`.
 */
export function championCandidate(
  champion: { kind: string; params: unknown; candidateHash: string | null },
  candidates: (CandidateSpec & { key: string })[],
  task: string,
  dataset: DatasetConfig,
  meta: boolean,
): { key: string | null; extra: (CandidateSpec & { key: string }) | null } {
  // A meta-learner champion is comparable only with this run's meta-learner over its members.
  if (champion.kind === META_KIND) return { key: meta ? META_KIND : null, extra: null };
  const spec = { kind: champion.kind, params: (champion.params ?? {}) as Record<string, unknown> };
  const hash = candidateHash(task, spec, dataset);
  const same = candidates.find((c) => candidateHash(task, c, dataset) === hash);
  if (same) return { key: same.key, extra: null };
  return { key: 'champion', extra: { ...spec, key: 'champion' } };
}
