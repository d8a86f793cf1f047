import type { Dataset } from '../datasets/dataset';
import { type FitHooks, runCandidates, protocolFolds, fromProba, type Oos, memoryFoldCache, type FoldCache } from '../evaluation/protocol';
import type { RunConfig } from '../pipeline/runConfig';
import type { FoldSpec } from '../sampling/folds';
import { armKind, cadenceOf, referencesOf, trainingArmConfig, type ArmName, type CadenceArm, type PolicyArm, type TrainingArm } from './arms';
import { armPredictor, armWindow, baselinePredictors } from './armPredictors';
import { cadenceFolds, studySpan } from './cadence';
import { countFit, studyFold, type FitCount } from './fitting';
import { groupEvidence, type ArmEvidence, type Comparison } from './groupEvidence';

import { policyArms, replayGate, type PolicyReplay } from './policyArms';
import { studyVerdicts } from './verdicts';

export type StudyConfig = Pick<RunConfig, 'asOf' | 'models' | 'meta'> & { config: Pick<RunConfig['config'], 'dataset' | 'gate' | 'backtest' | 'modelParams'> };

export interface StudyOptions {
  arms: ArmName[];
  /** First decision day of the cadence and policy arms (YYYY-MM-DD). */
  from?: string;
  cache?: FoldCache;
  feed?: string;
  hooks?: FitHooks;
  onProgress?: (what: string) => void;
  /** The policy arms' gate replay, done before (`retrainStudy` replays, then fans out the refits it serves). */
  policyReplay?: PolicyReplay;
}

export interface StudyArm {
  name: ArmName;
  kind: 'training' | 'cadence' | 'policy';
  metrics: ArmEvidence['metrics'];
  value: ArmEvidence['value'];
  /** The first reference (training: plain, or default for plain itself; cadence: weekly; policy: baseline); null for the reference arm itself. */
  vsReference: Comparison | null;
  /** Every reference the arm is compared with. */
  vsReferences: Comparison[];
  fits: FitCount;
  /** Decision days (strategy) or rows the arm was scored on, and their span. */
  span: { from: string; to: string; rows: number };
  equity: [string, number][];
  /** Policy arms: what was deployed each week (counts by action). */
  deployments?: Record<string, number>;
}

export interface StudyDocument {
  task: string;
  asOf: string;
  from: string | null;
  models: string[];
  arms: StudyArm[];
  verdicts: string[];
  method: Record<string, string>;
}

const byGroup = (arms: ArmName[], kind: 'training' | 'cadence' | 'policy') => arms.filter((a) => armKind(a) === kind);

/**
 * The study: each requested arm served and scored as the issue defines it, on the protocol's own
 * machinery (folds, `runFold`, the gate's decision series and bootstrap), in one process. Fits are
 * keyed by what they train on, so an arm that trains like another (and every coarser cadence,
 * whose models are weekly models) reuses its fits instead of refitting.
 */
export async function runStudy(ds: Dataset, cfg: StudyConfig, o: StudyOptions): Promise<StudyDocument> {
  const cache = o.cache ?? memoryFoldCache();
  const feed = o.feed ?? 'offline';
  const run = cfg.config.dataset;
  const plan = protocolFolds(ds, run);
  const specs = await runCandidates(cfg.models, cfg.config.modelParams);
  const settings = { gate: cfg.config.gate, backtest: cfg.config.backtest, seed: run.seed };
  const out: StudyArm[] = [];
  const spanOf = (p: { cv: Oos }) => ({ from: ds.dates[ds.t[p.cv.rows[0]]], to: ds.dates[ds.t[p.cv.rows[p.cv.rows.length - 1]]], rows: p.cv.rows.length });
  const refs = (requested: ArmName[]) => (key: string) => referencesOf(key as ArmName, requested).filter((r) => r !== key);

  const fitWindows = async (label: string, folds: FoldSpec[], dataset: typeof run, count: FitCount) => {
    const windows: Oos[] = [];
    for (const f of folds) {
      const outs = [];
      for (const spec of specs) {
        const r = await studyFold(ds, f, spec, dataset, plan.gap, feed, cache, o.hooks);
        countFit(count, r);
        outs.push({ rows: r.rows, proba: r.proba });
      }
      windows.push(armWindow(ds, outs));
      if (f.index % 25 === 0 || f.index === folds.length - 1) o.onProgress?.(`${label}: window ${f.index + 1}/${folds.length} (${count.trained} fitted, ${count.reused} reused)`);
    }
    return windows;
  };

  const training = byGroup(o.arms, 'training') as TrainingArm[];
  if (training.length) {
    const preds: ReturnType<typeof armPredictor>[] = [];
    const fits: FitCount[] = [];
    for (const arm of training) {
      const count = { trained: 0, reused: 0 };
      const windows = await fitWindows(arm, [...plan.cv, plan.final], trainingArmConfig(arm, run), count);
      preds.push(armPredictor(ds, arm, windows.slice(0, -1), plan.cv, windows[windows.length - 1]));
      fits.push(count);
    }
    o.onProgress?.('training-policy arms: evidence');
    const base = baselinePredictors(ds, plan.cv, preds[0].foldOf, run.seed, plan.final);
    const ev = groupEvidence(ds, preds, refs(training), base, plan.cv, settings);
    training.forEach((arm, i) => out.push(armEntry(arm, ev[i], fits[i], spanOf(preds[i]))));
  }

  const cadences = byGroup(o.arms, 'cadence') as CadenceArm[];
  const policies = byGroup(o.arms, 'policy') as PolicyArm[];
  if ((cadences.length || policies.length) && !o.from) throw new RangeError('the cadence and policy arms need --from');
  if (cadences.length) {
    const span = studySpan(ds, o.from!, plan.gap, run.split.minTrainDays);
    const weekly = cadenceFolds(ds, span, 'weekly', plan.gap, run.split.trainWindowDays);
    // Weekly first: every coarser cadence's retrain days are weekly ones, so their fits are reused.
    const order = [...cadences].sort((a, b) => (a === 'cadence:weekly' ? -1 : b === 'cadence:weekly' ? 1 : 0));
    const preds = new Map<string, ReturnType<typeof armPredictor>>();
    const fits = new Map<string, FitCount>();
    for (const arm of order) {
      const count = { trained: 0, reused: 0 };
      const folds = cadenceFolds(ds, span, cadenceOf(arm), plan.gap, run.split.trainWindowDays);
      const windows = await fitWindows(arm, folds, run, count);
      const K = ds.classNames.length;
      const pooled = armPredictor(ds, arm, [concatWindows(windows, K)], [weekly[0]], null);
      pooled.foldOf = weeklyFoldOf(ds, pooled.cv.rows, weekly);
      preds.set(arm, pooled);
      fits.set(arm, count);
    }
    o.onProgress?.('cadence arms: evidence');
    const list = cadences.map((a) => preds.get(a)!);
    const base = baselinePredictors(ds, weekly, list[0].foldOf, run.seed, null);
    const ev = groupEvidence(ds, list, refs(cadences), base, weekly, settings);
    cadences.forEach((arm, i) => out.push(armEntry(arm, ev[i], fits.get(arm)!, spanOf(list[i]))));
  }

  if (policies.length) {
    const span = studySpan(ds, o.from!, plan.gap, run.split.minTrainDays);
    const res = await policyArms(ds, cfg, { span, arms: policies, specs, cache, feed, hooks: o.hooks, onProgress: o.onProgress, replay: o.policyReplay });
    o.onProgress?.('policy arms: evidence');
    const ev = groupEvidence(ds, res.predictors, refs(policies), res.baselines, res.folds, settings);
    policies.forEach((arm, i) => out.push({ ...armEntry(arm, ev[i], res.fits[i], spanOf(res.predictors[i])), deployments: res.deployments[i] }));
  }

  const ordered = o.arms.map((a) => out.find((x) => x.name === a)!);
  return {
    task: ds.task,
    asOf: cfg.asOf,
    from: o.from ?? null,
    models: cfg.models,
    arms: ordered,
    verdicts: studyVerdicts(ds.task, ordered),
    method: {
      arm: 'the equal-weight mean of the candidates\' probabilities (fixed in advance: no selection on the scored rows); policy arms serve what the gate chose each week',
      training: 'each training-policy arm on the protocol\'s purged walk-forward CV folds (the final window is not scored), the same candidates, seed and fit procedure',
      cadence: 'each decision day from --from served by the model the cadence had deployed then, trained on rows whose labels ended before the retrain day, purged and embargoed as in the protocol',
      value: ds.task === 'strategy' ? `daily net return after costs over ${cfg.config.gate.benchmark} and over the policy's static twin (the gate's legs)` : `daily IC and long-short return over ${cfg.config.gate.signalBaseline} (the gate's legs)`,
      comparisons: `paired stationary bootstrap over calendar days (${cfg.config.gate.bootstrapReps} resamples); 95% percentile CIs; two-sided p from the null-recentred replicates; returns annualised x252; macro-F1 with days resampled; n = days (money) or rows (macro-F1)`,
    },
  };
}

/** The policy arms' gate replay alone, or null when no policy arm was asked (`retrainStudy` serves its decisions after fanning out their refits). */
export async function studyReplay(ds: Dataset, cfg: StudyConfig, o: StudyOptions): Promise<PolicyReplay | null> {
  const policies = byGroup(o.arms, 'policy') as PolicyArm[];
  if (!policies.length) return null;
  if (!o.from) throw new RangeError('the cadence and policy arms need --from');
  const run = cfg.config.dataset;
  const span = studySpan(ds, o.from, protocolFolds(ds, run).gap, run.split.minTrainDays);
  const specs = await runCandidates(cfg.models, cfg.config.modelParams);
  return replayGate(ds, cfg, { span, arms: policies, specs, cache: o.cache ?? memoryFoldCache(), feed: o.feed ?? 'offline', hooks: o.hooks, onProgress: o.onProgress });
}

function armEntry(name: ArmName, ev: ArmEvidence, fits: FitCount, span: StudyArm['span']): StudyArm {
  return { name, kind: armKind(name), metrics: ev.metrics, value: ev.value, vsReference: ev.comparisons[0] ?? null, vsReferences: ev.comparisons, fits, span, equity: ev.equity };
}

function concatWindows(windows: Oos[], K: number): Oos {
  const rows = Int32Array.from(windows.flatMap((w) => Array.from(w.rows)));
  const proba = new Float64Array(rows.length * K);
  let k = 0;
  for (const w of windows) {
    proba.set(w.proba!, k * K);
    k += w.rows.length;
  }
  return fromProba(rows, proba, K);
}

/** The weekly deployment each row falls in (the best-static benchmark's training window). */
export function weeklyFoldOf(ds: Dataset, rows: Int32Array, weekly: FoldSpec[]): Int32Array {
  let j = 0;
  return Int32Array.from(rows, (i) => {
    while (j + 1 < weekly.length && ds.t[i] >= weekly[j + 1].test!.from) j++;
    return weekly[j].index;
  });
}

/** The study's JSON without the equity curves (only the page draws them): what `study --json` prints and a study run keeps. */
export function studyJson(d: StudyDocument) {
  return { ...d, arms: d.arms.map(({ equity: _e, ...a }) => a) };
}
