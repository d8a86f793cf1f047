import { gatherRows, rowsBetween, type Dataset } from '../../datasets/dataset';
import { ModelPipeline } from '../../models/pipeline';
import type { FoldSpec } from '../../sampling/folds';
import { candidateHash, foldKey, rowsContentHash } from './candidates';
import { fitCandidate, type CandidateSpec, type FitHooks, type FitSummary, type ProtocolSettings } from './fitCandidate';

/** Where fold results live between runs (Postgres in the pipeline, a Map offline, or nowhere). */
export interface FoldCache {
  get(key: string): Promise<FoundFold | null>;
  put(f: CachedFold): Promise<void>;
}

/** A stored fold as read: everything but the model, fetched only when it must predict again (a reused fold needs its predictions alone). */
export type FoundFold = Omit<CachedFold, 'artifact'> & { artifact(): Promise<Buffer> };

export interface CachedFold {
  key: string;
  kind: string;
  candidateHash: string;
  trainFrom: string;
  trainTo: string;
  testFrom: string | null;
  testTo: string | null;
  testRowsHash: string | null;
  artifact: Buffer;
  proba: Float32Array | null;
  summary: FitSummary;
}

export interface FoldOutcome {
  key: string;
  /** `fitted`: trained now; `reused`: the cached predictions; `repredicted`: the cached model on a grown window. */
  source: 'fitted' | 'reused' | 'repredicted';
  /** Evaluation rows (dataset indices, time-ordered) and their probabilities (rows x classes). */
  rows: Int32Array;
  proba: Float64Array;
  pipeline: ModelPipeline | null;
  summary: FitSummary;
}

export function memoryFoldCache(): FoldCache {
  const m = new Map<string, CachedFold>();
  return {
    get: async (k) => {
      const f = m.get(k);
      return f ? { ...f, artifact: async () => f.artifact } : null;
    },
    put: async (f) => void m.set(f.key, f),
  };
}

function predict(ds: Dataset, pipeline: ModelPipeline, rows: Int32Array): Float64Array {
  if (rows.length === 0) return new Float64Array(0);
  return pipeline.predictProba({ data: gatherRows(ds.X, ds.cols, rows), rows: rows.length, cols: ds.cols });
}

/**
 * One (candidate, fold) of the walk-forward protocol: fit on the fold's training window and
 * predict its evaluation window, or reuse what an earlier run stored for the same
 * configuration and the same training rows. A refit fold has no evaluation window.
 */
export async function runFold(
  ds: Dataset,
  fold: FoldSpec,
  spec: CandidateSpec,
  s: ProtocolSettings & { feed: string; contentKey?: string },
  cache: FoldCache | null,
  hooks: FitHooks = {},
): Promise<FoldOutcome> {
  const trainRows = rowsBetween(ds, fold.train.from, fold.train.to);
  const cHash = candidateHash(ds.task, spec, s.dataset);
  // The study keys fits by what they train on (sample, weights, spec), so arms that train alike share them.
  const key = foldKey(s.contentKey ?? cHash, s.feed, rowsContentHash(ds, trainRows));
  const rows = fold.test ? rowsBetween(ds, fold.test.from, fold.test.to) : new Int32Array(0);
  const testRowsHash = fold.test ? rowsContentHash(ds, rows) : null;
  const cached = cache ? await cache.get(key) : null;
  if (cached && cached.testRowsHash === testRowsHash && cached.proba && cached.proba.length === rows.length * ds.classNames.length) {
    return { key, source: 'reused', rows, proba: Float64Array.from(cached.proba), pipeline: null, summary: cached.summary };
  }
  let pipeline: ModelPipeline;
  let summary: FitSummary;
  let source: FoldOutcome['source'];
  const artifact = cached ? await cached.artifact() : null;
  if (cached && artifact) {
    pipeline = ModelPipeline.fromArtifact(artifact);
    summary = cached.summary;
    source = 'repredicted';
  } else {
    ({ pipeline, summary } = await fitCandidate(ds, fold, spec, s, hooks));
    source = 'fitted';
  }
  // Stored as float32; round fresh predictions the same way so a reused fold decides identically.
  const stored = Float32Array.from(predict(ds, pipeline, rows));
  await cache?.put({
    key,
    kind: spec.kind,
    candidateHash: cHash,
    trainFrom: ds.dates[fold.train.from],
    trainTo: ds.dates[fold.train.to],
    testFrom: fold.test ? ds.dates[fold.test.from] : null,
    testTo: fold.test ? ds.dates[fold.test.to] : null,
    testRowsHash,
    artifact: artifact ?? pipeline.toArtifact(),
    proba: stored,
    summary,
  });
  return { key, source, rows, proba: Float64Array.from(stored), pipeline, summary };
}
