import { gatherRows, labelEnd, rowsBetween, type Dataset } from '../../datasets/dataset';
import type { DatasetConfig } from '../../datasets/config';
import { InsufficientDataError } from '../../errors';
import { applyStandardizer, fitStandardizer, type Standardizer } from '../../features/standardize';
import type { FitOptions, FitReport, Matrix, ModelJSON } from '../../models/classifier';
import { ModelPipeline } from '../../models/pipeline';
import { createModel, earlyStoppingOf } from '../../models/modelKinds';
import type { RegimeMixReport } from '../../sampling/balancedSampler';
import { innerSplit, type FoldSpec } from '../../sampling/folds';
import { capValidationRows } from '../../sampling/validationRows';
import { trainingSet } from '../../sampling/trainingSet';
import { classPnl } from './classPnl';

/** What a model kind is trained with; its hash identifies the configuration in caches and the registry. */
export interface CandidateSpec {
  kind: string;
  params: Record<string, unknown>;
}

export interface FitSummary {
  kind: string;
  trainRows: number;
  sampleRows: number;
  mix: RegimeMixReport[];
  archiveShare: number;
  trainedFrom: string;
  /** Last day of the last training label's window (the newest information the model saw). */
  trainedThrough: string;
  /** Early stopping on the inner split: best iteration and the window it validated on. */
  earlyStopping: { bestIteration: number | null; validation: [string, string] } | null;
  report: FitReport;
  seconds: number;
}

export interface FitHooks {
  onProgress?: FitOptions['onProgress'];
  signal?: AbortSignal;
  resumeFrom?: ModelJSON | null;
  onCheckpoint?: FitOptions['onCheckpoint'];
}

export interface ProtocolSettings {
  dataset: DatasetConfig;
  /** Days between a training window's end and the next evaluation window (purge + embargo). */
  gap: number;
}

/** The rows, standardised: only the gathered rows are ever copied (a large universe has millions). */
function matrix(ds: Dataset, s: Standardizer, idx: ArrayLike<number>): Matrix {
  return { data: applyStandardizer(s, gatherRows(ds.X, ds.cols, idx), ds.cols), rows: idx.length, cols: ds.cols };
}

/**
 * The one training procedure, for every fold, the final window and the refit alike, so what
 * the walk-forward evaluation measures is what gets deployed: a regime-balanced, weighted
 * sample of the window; a standardiser fitted on the window's rows; models that early-stop do
 * so on the window's last `innerValDays` (purged; at most `maxValidationRows` of them), then are refitted on the whole window for
 * the best iteration count. The seed depends only on the configuration, never on the fold.
 */
export async function fitCandidate(ds: Dataset, fold: FoldSpec, spec: CandidateSpec, s: ProtocolSettings, hooks: FitHooks = {}): Promise<{ pipeline: ModelPipeline; summary: FitSummary }> {
  const started = Date.now();
  const seed = s.dataset.seed;
  const params = { seed, ...spec.params };
  const ts = trainingSet(ds, fold.train, s.dataset, seed);
  if (ts.rows.length === 0) throw new InsufficientDataError(`no training rows in ${ds.dates[fold.train.from]}..${ds.dates[fold.train.to]}`);
  const standardizer = fitStandardizer(ds.X, ds.rows, ds.cols, ts.rows);
  const K = ds.classNames.length;
  const base = { nClasses: K, seed, onProgress: hooks.onProgress, signal: hooks.signal };
  let model = createModel(spec.kind, params);
  const stopping = earlyStoppingOf(spec.kind, model);
  let earlyStopping: FitSummary['earlyStopping'] = null;
  let finalParams = params;
  if (stopping) {
    const inner = innerSplit(fold.train, s.dataset.split.innerValDays, s.gap);
    if (inner) {
      const fit = trainingSet(ds, inner.fit, s.dataset, seed);
      const valRows = capValidationRows(rowsBetween(ds, inner.validation.from, inner.validation.to), s.dataset.split.maxValidationRows, seed);
      const probe = createModel(spec.kind, params);
      const r = await probe.fit(matrix(ds, standardizer, fit.sample), Int32Array.from(fit.sample, (i) => ds.y[i]), fit.weight, {
        ...base,
        validation: { X: matrix(ds, standardizer, valRows), y: Int32Array.from(valRows, (i) => ds.y[i]) },
        pnl: classPnl(ds, fit.sample),
      });
      const best = r.bestIteration ?? null;
      earlyStopping = { bestIteration: best, validation: [ds.dates[inner.validation.from], ds.dates[inner.validation.to]] };
      finalParams = { ...params, [stopping.patience]: 0, ...(best ? { [stopping.iterations]: best } : {}) };
    } else {
      // Too short to split: train the configured iteration count without early stopping.
      finalParams = { ...params, [stopping.patience]: 0 };
    }
    model = createModel(spec.kind, finalParams);
  }
  const report = await model.fit(matrix(ds, standardizer, ts.sample), Int32Array.from(ts.sample, (i) => ds.y[i]), ts.weight, {
    ...base,
    pnl: classPnl(ds, ts.sample),
    resumeFrom: hooks.resumeFrom,
    onCheckpoint: hooks.onCheckpoint,
  });
  const last = ts.rows[ts.rows.length - 1];
  const summary: FitSummary = {
    kind: spec.kind,
    trainRows: ts.rows.length,
    sampleRows: ts.sample.length,
    mix: ts.mix,
    archiveShare: ts.archiveShare,
    trainedFrom: ds.dates[ds.t[ts.rows[0]]],
    trainedThrough: ds.dates[Math.min(ds.dates.length - 1, labelEnd(ds, last))],
    earlyStopping,
    report,
    seconds: (Date.now() - started) / 1000,
  };
  return { pipeline: new ModelPipeline(model, standardizer, ds.featureNames, ds.classNames), summary };
}
