import type { Dataset } from '../../datasets/dataset';
import { REGIMES } from '../../regimes/regimes';
import { Rng } from '../../util/rng';
import type { ClassificationMetrics } from '../metrics/metrics';
import { predictionsPerRegime, type RegimeMetrics } from '../metrics/perRegime';
import { bootstrapReplicates } from '../stats/bootstrap';
import { dayConfusionStatistic } from '../stats/dayConfusionStatistic';
import { quantileSorted } from '../stats/descriptive';
import { labelsOf } from './pooling';
import type { Predictor } from './predictors';

/** Classification diagnostics in the shape people and scripts read: overall, then per regime with its n. */
export function shapeMetrics(m: RegimeMetrics) {
  const brief = (x: ClassificationMetrics | null) =>
    x
      ? { n: x.samples, accuracy: x.accuracy, balanced_accuracy: x.balanced_accuracy, macro_f1: x.macro_f1, kappa: x.kappa, log_loss: Number.isFinite(x.log_loss) ? x.log_loss : null, brier: Number.isFinite(x.brier) ? x.brier : null, classes_predicted: x.classes_predicted, max_pred_share: x.max_pred_share }
      : { n: 0 };
  return { all: brief(m.all), byRegime: Object.fromEntries(REGIMES.map((r) => [r, brief(m[r])])) };
}

export interface Diagnostics {
  /** Walk-forward (pooled CV) and final-window metrics per predictor. */
  metrics: RegimeMetrics[];
  final: (RegimeMetrics | null)[];
  /** Cohen's kappa with a paired stationary-bootstrap 95% CI (days resampled): 0 = no skill, whatever the class mix. */
  kappa: { value: number; ci: [number, number] }[];
  /** Brier skill score against the class-prior guess's probabilities on the same rows (null without probabilities). */
  brierSkill: (number | null)[];
}

/**
 * What the classifiers are as classifiers: macro-F1, kappa, Brier skill, log loss, per regime
 * with n. Reported, never decisive: the gate decides on what the decisions earn.
 */
export function classificationDiagnostics(ds: Dataset, predictors: Predictor[], o: { resamples: number; seed: number }): Diagnostics {
  const K = ds.classNames.length;
  const truth = labelsOf(ds, predictors[0].cv.rows);
  const finalTruth = labelsOf(ds, predictors[0].final.rows);
  const metrics = predictors.map((p) => predictionsPerRegime(p.cv.pred, p.cv.proba, truth.y, truth.regime, K));
  const final = predictors.map((p) => (p.final.rows.length ? predictionsPerRegime(p.final.pred, p.final.proba, finalTruth.y, finalTruth.regime, K) : null));
  const boot = bootstrapReplicates(dayConfusionStatistic(truth.y, predictors.map((p) => p.cv.pred), truth.day, K, 'kappa'), {
    resamples: o.resamples,
    rng: new Rng(o.seed + 1),
    horizon: ds.executionLag + ds.horizon,
  });
  const C = predictors.length;
  const kappa = predictors.map((_, c) => {
    const reps = Float64Array.from({ length: boot.resamples }, (_, r) => boot.replicates[r * C + c]).filter((v) => !Number.isNaN(v)).sort();
    return { value: boot.observed[c], ci: [quantileSorted(reps, 0.025), quantileSorted(reps, 0.975)] as [number, number] };
  });
  const prior = predictors.findIndex((p) => p.key === 'class_prior');
  const ref = prior >= 0 ? metrics[prior].all?.brier : undefined;
  const brierSkill = metrics.map((m) => (ref && m.all && Number.isFinite(m.all.brier) ? 1 - m.all.brier / ref : null));
  return { metrics, final, kappa, brierSkill };
}
