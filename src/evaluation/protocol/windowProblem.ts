import { gatherRows, rowsBetween, type Dataset } from '../../datasets/dataset';
import type { DatasetConfig } from '../../datasets/config';
import { applyStandardizer, fitStandardizer } from '../../features/standardize';
import type { Matrix } from '../../models/classifier';
import type { FoldSpec } from '../../sampling/folds';
import { trainingSet } from '../../sampling/trainingSet';
import { classPnl } from './classPnl';
import { protocolFolds } from './plan';

export interface WindowProblem {
  fold: FoldSpec;
  K: number;
  train: { X: Matrix; y: Int32Array; w: Float64Array; pnl: Float64Array };
  test: { X: Matrix; y: Int32Array; rows: Int32Array };
}

/**
 * One fold as a plain train/test problem (standardised on its training rows, the balanced
 * weighted sample as the training set): for benchmarks and model tests that need the
 * product's real data without the pipeline. Default: the final, report-only window.
 */
export function windowProblem(ds: Dataset, cfg: DatasetConfig, which: 'final' | number = 'final'): WindowProblem {
  const plan = protocolFolds(ds, cfg);
  const fold = which === 'final' ? plan.final : plan.cv[which];
  const ts = trainingSet(ds, fold.train, cfg, cfg.seed);
  const s = fitStandardizer(ds.X, ds.rows, ds.cols, ts.rows);
  const test = rowsBetween(ds, fold.test!.from, fold.test!.to);
  const rows = (idx: ArrayLike<number>) => ({ data: applyStandardizer(s, gatherRows(ds.X, ds.cols, idx), ds.cols), rows: idx.length, cols: ds.cols });
  return {
    fold,
    K: ds.classNames.length,
    train: { X: rows(ts.sample), y: Int32Array.from(ts.sample, (i) => ds.y[i]), w: ts.weight, pnl: classPnl(ds, ts.sample) },
    test: { X: rows(test), y: Int32Array.from(test, (i) => ds.y[i]), rows: test },
  };
}
