import type { DatasetConfig } from '../datasets/config';
import { REGIMES, type Regime } from '../regimes/regimes';

/** The study's arms, by their stable names (the CLI contract). */
export const TRAINING_ARMS = ['plain', 'weights', 'balanced', 'archive', 'uniqueness', 'default'] as const;
export const CADENCE_ARMS = ['cadence:weekly', 'cadence:monthly', 'cadence:quarterly', 'cadence:yearly', 'cadence:once'] as const;
export const POLICY_ARMS = ['policy:gated', 'policy:always', 'policy:never', 'policy:baseline'] as const;

export type TrainingArm = (typeof TRAINING_ARMS)[number];
export type CadenceArm = (typeof CADENCE_ARMS)[number];
export type PolicyArm = (typeof POLICY_ARMS)[number];
export type ArmName = TrainingArm | CadenceArm | PolicyArm;
export type ArmKind = 'training' | 'cadence' | 'policy';

export const ARM_NAMES: readonly ArmName[] = [...TRAINING_ARMS, ...CADENCE_ARMS, ...POLICY_ARMS];

export function armKind(name: ArmName): ArmKind {
  if ((TRAINING_ARMS as readonly string[]).includes(name)) return 'training';
  return name.startsWith('cadence:') ? 'cadence' : 'policy';
}

/** Parses `--arms A,B,…`: known names only, each once, in the order given. */
export function parseArms(list: string): ArmName[] {
  const names = list.split(',').map((s) => s.trim()).filter(Boolean);
  if (!names.length) throw new RangeError('--arms: no arm named');
  const unknown = names.filter((n) => !(ARM_NAMES as readonly string[]).includes(n));
  if (unknown.length) throw new RangeError(`--arms: unknown arm(s) ${unknown.join(', ')}; known: ${ARM_NAMES.join(', ')}`);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new RangeError(`--arms: ${dup} named twice`);
  return names as ArmName[];
}

const ones = Object.fromEntries(REGIMES.map((r) => [r, 1])) as Record<Regime, number>;

/**
 * The dataset configuration a training-policy arm trains with. `plain` switches every choice
 * off (no regime weights, no uniqueness weights, the natural sample, no archive); each single-
 * choice arm turns exactly one of them back on as the run's configuration has it; `default` is
 * the run's configuration unchanged. Everything else (folds, seed, candidates) is shared.
 */
export function trainingArmConfig(arm: TrainingArm, run: DatasetConfig): DatasetConfig {
  if (arm === 'default') return run;
  const plain: DatasetConfig = { ...run, regimeWeights: ones, uniquenessWeights: false, includeCrisisArchive: false, sampler: { ...run.sampler, mode: 'natural' } };
  switch (arm) {
    case 'plain':
      return plain;
    case 'weights':
      return { ...plain, regimeWeights: run.regimeWeights };
    case 'balanced':
      return { ...plain, sampler: { ...run.sampler, mode: 'balanced' } };
    case 'archive':
      return { ...plain, includeCrisisArchive: true };
    case 'uniqueness':
      return { ...plain, uniquenessWeights: true };
  }
}

/**
 * What each arm is compared with: training arms with `plain` and `default`, cadence arms with
 * weekly (or, when weekly was not asked, the finest cadence asked), policy arms with the baseline.
 */
export function referencesOf(arm: ArmName, present: readonly ArmName[]): ArmName[] {
  const kind = armKind(arm);
  const finest = CADENCE_ARMS.find((c) => present.includes(c));
  const refs: ArmName[] = kind === 'training' ? ['plain', 'default'] : kind === 'cadence' ? (finest ? [finest] : []) : ['policy:baseline'];
  return refs.filter((r) => present.includes(r));
}

/** Retraining cadences: how retrain days are picked among the weekly ones. */
export type Cadence = 'weekly' | 'monthly' | 'quarterly' | 'yearly' | 'once';
export const cadenceOf = (arm: CadenceArm): Cadence => arm.slice('cadence:'.length) as Cadence;
