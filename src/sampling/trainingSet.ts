import { dayNumber, rowsBetween, type Dataset } from '../datasets/dataset';
import type { DatasetConfig } from '../datasets/config';
import { REGIMES } from '../regimes/regimes';
import { balancedSample, naturalSample, type RegimeMixReport } from './balancedSampler';
import type { DayWindow } from './folds';
import { uniquenessWeights } from './uniqueness';

export interface TrainingSet {
  /** Distinct training rows (dataset indices), time-ordered. */
  rows: Int32Array;
  /** The regime-balanced sample drawn from them (may repeat rows), sorted. */
  sample: Int32Array;
  /** Weight of each sample entry: regime weight x label uniqueness x replay weight. */
  weight: Float64Array;
  mix: RegimeMixReport[];
  /** Sampled rows from crisis-archive windows that had ended by the window's last day. */
  archiveRows: number;
  archiveShare: number;
}

/**
 * The training sample of one window. Crisis-archive rows are preferred only when their crisis
 * had ended by the window's last day (no hindsight), and they count against their regime's
 * quota. Signal windows are subsampled to `sampleSize`; strategy windows keep their size.
 */
export function trainingSet(ds: Dataset, window: DayWindow, cfg: DatasetConfig, seed: number): TrainingSet {
  const rows = rowsBetween(ds, window.from, window.to);
  const known = dayNumber(ds.dates[window.to]);
  const preferred = Array.from(rows, (i) => ds.archiveEnd[i] > 0 && ds.archiveEnd[i] <= known);
  const size = ds.task === 'signal' ? Math.min(cfg.signal.sampleSize, rows.length) : rows.length;
  const regimes = Array.from(rows, (i) => ds.regime[i]);
  const archive = cfg.includeCrisisArchive ? preferred : null;
  const s =
    cfg.sampler.mode === 'natural'
      ? naturalSample(regimes, archive, { seed, size, targetMix: cfg.sampler.targetMix })
      : balancedSample(regimes, archive, { targetMix: cfg.sampler.targetMix, maxOversample: cfg.sampler.maxOversample, seed, size });
  const unique = cfg.uniquenessWeights ? uniquenessWeights(ds.t, ds.symbol, rows, ds.executionLag, ds.horizon) : null;
  const sample = Int32Array.from(s.indices, (k) => rows[k]);
  const weight = Float64Array.from(s.indices, (k) => {
    const i = rows[k];
    return cfg.regimeWeights[REGIMES[ds.regime[i]]] * (unique ? unique[k] : 1) * ds.replayWeight[i];
  });
  return { rows, sample, weight, mix: s.mix, archiveRows: s.archiveRows, archiveShare: s.archiveShare };
}
