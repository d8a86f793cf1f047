import type { Dataset } from '../datasets/dataset';
import type { DatasetConfig } from '../datasets/config';
import { runCandidates, type CandidateSpec, protocolFolds } from '../evaluation/protocol';
import type { FoldSpec } from '../sampling/folds';
import { armKind, cadenceOf, trainingArmConfig, type ArmName, type CadenceArm, type TrainingArm } from './arms';
import { cadenceFolds, studySpan } from './cadence';
import { fitContentKey } from './fitting';
import type { StudyConfig } from './runStudy';

/** One fit of a study, as a `retrainStudy` activity runs it (small and serialisable: stored in the study's plan). */
export interface StudyUnit {
  /** The arm whose configuration trains it (the first arm that needs it). */
  arm: ArmName;
  spec: CandidateSpec;
  fold: FoldSpec;
  gap: number;
  key: string;
}

/** The dataset configuration a unit trains with: a training arm's, else the run's. */
export function unitConfig(arm: ArmName, run: DatasetConfig): DatasetConfig {
  return armKind(arm) === 'training' ? trainingArmConfig(arm as TrainingArm, run) : run;
}

/**
 * Every distinct fit the training-policy and cadence arms need, each once (by what it trains on),
 * in the order `runStudy` would fit them: the fan-out of `retrainStudy`. The policy arms replay
 * the gate week by week, each week depending on the last, and run in the assessment activity
 * (their fits land in the same cache).
 */
export async function studyUnits(ds: Dataset, cfg: StudyConfig, arms: ArmName[], from: string | undefined): Promise<StudyUnit[]> {
  const run = cfg.config.dataset;
  const plan = protocolFolds(ds, run);
  const specs = await runCandidates(cfg.models, cfg.config.modelParams);
  const units: StudyUnit[] = [];
  const seen = new Set<string>();
  const add = (arm: ArmName, folds: FoldSpec[]) => {
    const c = unitConfig(arm, run);
    for (const fold of folds)
      for (const spec of specs) {
        const key = fitContentKey(ds, fold, spec, c, plan.gap);
        if (seen.has(key)) continue;
        seen.add(key);
        units.push({ arm, spec, fold, gap: plan.gap, key });
      }
  };
  for (const a of arms) if (armKind(a) === 'training') add(a, [...plan.cv, plan.final]);
  const cadences = arms.filter((a) => armKind(a) === 'cadence').sort((a, b) => (a === 'cadence:weekly' ? -1 : b === 'cadence:weekly' ? 1 : 0));
  if (cadences.length) {
    if (!from) throw new RangeError('the cadence and policy arms need --from');
    const span = studySpan(ds, from, plan.gap, run.split.minTrainDays);
    for (const a of cadences) add(a, cadenceFolds(ds, span, cadenceOf(a as CadenceArm), plan.gap, run.split.trainWindowDays));
  }
  return units;
}
