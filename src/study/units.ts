import type { Dataset } from '../datasets/dataset';
import type { DatasetConfig } from '../datasets/config';
import { runCandidates, type CandidateSpec, protocolFolds } from '../evaluation/protocol';
import type { FoldSpec } from '../sampling/folds';
import { armKind, cadenceOf, trainingArmConfig, type ArmName, type CadenceArm, type PolicyArm, type TrainingArm } from './arms';
import { cadenceFolds, studySpan } from './cadence';
import { fitContentKey } from './fitting';
import { policyGateFits, policyServeFits, type WeekDecision } from './policyArms';
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
 * Every distinct fit the training-policy and cadence arms need, and the policy arms' gate replay
 * (each replayed week's protocol folds), each once (by what it trains on), in the order `runStudy`
 * would fit them: the first fan-out of `retrainStudy`. Which refits the policy arms serve depends
 * on the replayed decisions, so those are planned after the replay (`policyServeUnits`).
 */
export async function studyUnits(ds: Dataset, cfg: StudyConfig, arms: ArmName[], from: string | undefined): Promise<StudyUnit[]> {
  const run = cfg.config.dataset;
  const plan = protocolFolds(ds, run);
  const specs = await runCandidates(cfg.models, cfg.config.modelParams);
  const units: StudyUnit[] = [];
  const seen = new Set<string>();
  const push = (u: StudyUnit) => {
    if (seen.has(u.key)) return;
    seen.add(u.key);
    units.push(u);
  };
  const add = (arm: ArmName, folds: FoldSpec[]) => {
    const c = unitConfig(arm, run);
    for (const fold of folds) for (const spec of specs) push({ arm, spec, fold, gap: plan.gap, key: fitContentKey(ds, fold, spec, c, plan.gap) });
  };
  for (const a of arms) if (armKind(a) === 'training') add(a, [...plan.cv, plan.final]);
  const cadences = arms.filter((a) => armKind(a) === 'cadence').sort((a, b) => (a === 'cadence:weekly' ? -1 : b === 'cadence:weekly' ? 1 : 0));
  const policies = arms.filter((a) => armKind(a) === 'policy') as PolicyArm[];
  if ((cadences.length || policies.length) && !from) throw new RangeError('the cadence and policy arms need --from');
  const span = () => studySpan(ds, from!, plan.gap, run.split.minTrainDays);
  for (const a of cadences) add(a, cadenceFolds(ds, span(), cadenceOf(a as CadenceArm), plan.gap, run.split.trainWindowDays));
  if (policies.length) for (const u of policyGateFits(ds, cfg, span(), policies, specs)) push(u);
  return units;
}

/** The refits the policy arms serve under the replayed decisions (the second fan-out), none already planned. */
export async function policyServeUnits(ds: Dataset, cfg: StudyConfig, arms: ArmName[], from: string, decisions: WeekDecision[], planned: StudyUnit[]): Promise<StudyUnit[]> {
  const run = cfg.config.dataset;
  const plan = protocolFolds(ds, run);
  const specs = await runCandidates(cfg.models, cfg.config.modelParams);
  const policies = arms.filter((a) => armKind(a) === 'policy') as PolicyArm[];
  const done = new Set(planned.map((u) => u.key));
  return policyServeFits(ds, cfg, studySpan(ds, from, plan.gap, run.split.minTrainDays), policies, specs, decisions).filter((u) => !done.has(u.key));
}
