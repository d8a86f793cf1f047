import type { Dataset } from '../../datasets/dataset';
import type { DatasetConfig } from '../../datasets/config';
import { canonicalJson, Sha256, stableId } from '../../util/hash';
import { modelRevision } from '../../models/modelKinds';
import type { CandidateSpec } from './fitCandidate';

/** The meta-learner's kind name: a candidate built from the members' out-of-sample predictions. */
export const META_KIND = 'meta';

/**
 * Configuration hash of a candidate: the model kind, its parameters and every dataset setting
 * that changes what it is trained on (fold bounds excluded: those are part of fold keys).
 */
export function candidateHash(task: string, spec: CandidateSpec, dataset: DatasetConfig): string {
  const { foldDays: _f, minTrainDays: _m, holdoutDays: _h, trainWindowDays: _w, ...training } = dataset.split;
  return stableId('c', task, spec.kind, canonicalJson(spec.params), canonicalJson({ ...dataset, split: training }), ...revisionPart(spec.kind));
}

export function metaCandidateHash(task: string, params: Record<string, unknown>, memberHashes: string[]): string {
  return stableId('c', task, META_KIND, canonicalJson(params), [...memberHashes].sort().join(','), ...revisionPart(META_KIND));
}

/** A kind's training-code revision as a key part; none for revision 1, so those keys are as before (modelKinds.ts). */
function revisionPart(kind: string): string[] {
  const revision = modelRevision(kind);
  return revision ? [`revision ${revision}`] : [];
}

/**
 * Content hash of the rows whose days lie in [from, to]: features, labels, regimes, weights,
 * PnL, symbols and dates. Two runs get the same hash only if they would train or evaluate on
 * exactly the same data, whatever the data vintage or as-of date.
 */
export function rowsContentHash(ds: Dataset, rows: Int32Array): string {
  const h = new Sha256();
  h.add(canonicalJson({ features: ds.featureNames, classes: ds.classNames, horizon: ds.horizon, lag: ds.executionLag, n: rows.length }));
  if (rows.length === 0) return h.hex();
  const a = rows[0];
  const b = rows[rows.length - 1] + 1;
  const bytes = (arr: Float64Array | Float32Array | Int32Array | Int8Array | Int16Array, per: number) => new Uint8Array(arr.buffer, arr.byteOffset + a * per * arr.BYTES_PER_ELEMENT, (b - a) * per * arr.BYTES_PER_ELEMENT);
  h.add(bytes(ds.X, ds.cols));
  h.add(bytes(ds.y, 1));
  h.add(bytes(ds.regime, 1));
  h.add(bytes(ds.archiveEnd, 1));
  h.add(bytes(ds.pnl, ds.pnlCols));
  h.add(bytes(ds.replayWeight, 1));
  const days: string[] = [];
  const syms: string[] = [];
  for (let i = a; i < b; i++) {
    if (i === a || ds.t[i] !== ds.t[i - 1]) days.push(ds.dates[ds.t[i]]);
    syms.push(ds.symbols[ds.symbol[i]]);
  }
  h.add(days.join(','));
  h.add(syms.join(','));
  return h.hex();
}

/** A fold result's cache key: configuration x exact training rows. */
export function foldKey(candidate: string, feed: string, trainRowsHash: string): string {
  return stableId('f', candidate, feed, trainRowsHash);
}
