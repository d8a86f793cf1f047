import { rowsBetween, type Dataset } from '../../datasets/dataset';
import type { FoldSpec } from '../../sampling/folds';
import { Rng } from '../../util/rng';
import { classPriorGuess, labelPersistence, majorityClass, majorityOf, classFrequencies } from './baselines';
import type { Oos } from '../protocol/pooling';

export const BASELINE_NAMES = ['class_prior', 'majority', 'label_persistence'] as const;
export type BaselineName = (typeof BASELINE_NAMES)[number];

/**
 * The three baselines on one evaluation window, each knowing only what a model trained on the
 * fold's training window would know: the training class frequencies (a seeded random guess
 * from them, and the majority class), and the newest label already known at each row's close.
 */
export function baselinesOnFold(ds: Dataset, fold: FoldSpec, seed: number): Record<BaselineName, Oos> {
  if (!fold.test) throw new RangeError('baselines need an evaluation window');
  const K = ds.classNames.length;
  const train = rowsBetween(ds, fold.train.from, fold.train.to);
  const rows = rowsBetween(ds, fold.test.from, fold.test.to);
  const trainY = Int32Array.from(train, (i) => ds.y[i]);
  const prior = classPriorGuess(trainY, K, rows.length, new Rng(seed * 1_000 + fold.index));
  const majority = majorityClass(trainY, K, rows.length);
  // Every dataset row is history: the function only uses labels whose window closed by the row's day.
  const persistence = labelPersistence(
    { day: Int32Array.from(rows, (i) => ds.t[i]), symbol: Int32Array.from(rows, (i) => ds.symbol[i]) },
    { day: ds.t, symbol: ds.symbol, label: ds.y },
    ds.executionLag + ds.horizon,
    majorityOf(classFrequencies(trainY, K)),
  );
  return {
    class_prior: { rows, pred: prior.pred, proba: prior.proba },
    majority: { rows, pred: majority.pred, proba: majority.proba },
    label_persistence: { rows, pred: persistence.pred, proba: null },
  };
}
