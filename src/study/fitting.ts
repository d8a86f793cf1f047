import type { Dataset } from '../datasets/dataset';
import { modelRevision } from '../models/modelKinds';
import type { DatasetConfig } from '../datasets/config';
import { type CandidateSpec, type FitHooks, runFold, type FoldCache, type FoldOutcome } from '../evaluation/protocol';
import { innerSplit, type FoldSpec } from '../sampling/folds';
import { trainingSet } from '../sampling/trainingSet';
import { canonicalJson, Sha256 } from '../util/hash';

/**
 * What a fit trains on, as a hash: the spec, the seed, the training sample and its weights, and
 * the inner early-stopping split's sample and weights. Two arms whose configurations differ but
 * whose fits would see exactly the same rows with the same weights (the crisis archive when the
 * whole window is kept, say) get the same key, so the second reuses the first's fit.
 */
export function fitContentKey(ds: Dataset, fold: FoldSpec, spec: CandidateSpec, cfg: DatasetConfig, gap: number): string {
  const h = new Sha256();
  const { foldDays: _f, minTrainDays: _m, holdoutDays: _h, trainWindowDays: _w, ...split } = cfg.split;
  const revision = modelRevision(spec.kind); // a kind whose training code changed keys new fits (modelKinds.ts)
  h.add(canonicalJson({ task: ds.task, kind: spec.kind, params: spec.params, seed: cfg.seed, split, gap, ...(revision ? { revision } : {}) }));
  const addSet = (w: { from: number; to: number }) => {
    const ts = trainingSet(ds, w, cfg, cfg.seed);
    h.add(new Uint8Array(ts.sample.buffer, ts.sample.byteOffset, ts.sample.byteLength));
    h.add(new Uint8Array(ts.weight.buffer, ts.weight.byteOffset, ts.weight.byteLength));
  };
  addSet(fold.train);
  const inner = innerSplit(fold.train, cfg.split.innerValDays, gap);
  if (inner) addSet(inner.fit);
  return `s_${h.hex().slice(0, 40)}`;
}

export interface FitCount {
  trained: number;
  reused: number;
}

export const countFit = (c: FitCount, o: FoldOutcome) => (o.source === 'fitted' ? c.trained++ : c.reused++);

/** One fit of the study: the protocol's `runFold` under the arm's configuration, keyed by content. */
export async function studyFold(ds: Dataset, fold: FoldSpec, spec: CandidateSpec, cfg: DatasetConfig, gap: number, feed: string, cache: FoldCache, hooks?: FitHooks): Promise<FoldOutcome> {
  const contentKey = fitContentKey(ds, fold, spec, cfg, gap);
  return runFold(ds, fold, spec, { dataset: cfg, gap, feed, contentKey }, cache, hooks);
}
