import type { Dataset } from '../datasets/dataset';
import { InsufficientDataError } from '../errors';
import { assessProtocol, type CandidateOos, candidateHash, type CandidateSpec, type FitHooks, fromProba, type Oos, type FoldCache, type FoldOutcome } from '../evaluation/protocol';
import { baselinesOnFold } from '../evaluation/baselines';
import { planFolds, type FoldSpec } from '../sampling/folds';
import type { PolicyArm } from './arms';
import { armPredictor, baselinePredictors } from './armPredictors';
import { cadenceFolds } from './cadence';
import { studyFold, type FitCount } from './fitting';
import type { StudyConfig } from './runStudy';

/** What a policy deployed for one week: a model (its kind and the week it was trained) or the declared reference. */
type Deployed = { kind: string; trainedWeek: number } | null;

/**
 * The policy arms: the weekly run replayed week by week from --from, as the registry would have
 * played it. Each week r the protocol is run on what was known before r (rows whose labels had
 * ended by the day before: the folds of an as-of-r run), the gate decides with the lineage's
 * champion, and the refit (trained on every known row) serves the week's decision days.
 * `policy:gated` follows the gate (promote, refresh, keep, or the declared reference when there is
 * no champion); `policy:always` deploys the newest refit of the selected candidate every week;
 * `policy:never` keeps the first week's selected refit forever; `policy:baseline` serves the
 * declared reference only. Served-reference rows are predicted −1 (strategy: the benchmark's
 * weights; signal: no position, or label persistence when that is the reference).
 */
export async function policyArms(
  ds: Dataset,
  cfg: StudyConfig,
  o: { span: { from: number; to: number }; arms: PolicyArm[]; specs: CandidateSpec[]; cache: FoldCache; feed: string; hooks?: FitHooks; onProgress?: (what: string) => void },
) {
  const run = cfg.config.dataset;
  const K = ds.classNames.length;
  const reach = ds.executionLag + ds.horizon;
  const weeks = cadenceFolds(ds, o.span, 'weekly', reach + run.split.embargo, run.split.trainWindowDays);
  const first = ds.t[0];
  const window = (to: number) => ({ from: run.split.trainWindowDays ? Math.max(first, to - run.split.trainWindowDays + 1) : first, to });
  const seen = new Set<string>();
  const fits = new Map<PolicyArm, FitCount>(o.arms.map((a) => [a, { trained: 0, reused: 0 }]));
  // A fit counts as trained for the first arm that needed it (the replay shares one evaluation per week), reused after that.
  const use = (arm: PolicyArm, out: FoldOutcome) => {
    const c = fits.get(arm);
    if (!c) return;
    if (out.source === 'fitted' && !seen.has(out.key)) c.trained++;
    else c.reused++;
    seen.add(out.key);
  };
  const spec = (kind: string) => o.specs.find((s) => s.kind === kind)!;
  const lastKnown = (w: number) => weeks[w].test!.from - 1 - reach;

  // A model trained at week `trainedWeek` on every known row, predicting week w's rows.
  const serve = async (arm: PolicyArm, d: NonNullable<Deployed>, w: number) => {
    const fold: FoldSpec = { index: w, role: 'refit', train: window(lastKnown(d.trainedWeek)), test: weeks[w].test };
    const out = await studyFold(ds, fold, spec(d.kind), run, reach + run.split.embargo, o.feed, o.cache, o.hooks);
    use(arm, out);
    return fromProba(out.rows, out.proba, K);
  };
  const referenceOn = (w: number): Oos => {
    const b = baselinesOnFold(ds, weeks[w], run.seed);
    const rows = b.majority.rows;
    if (ds.task === 'signal' && cfg.config.gate.signalBaseline === 'label_persistence') {
      const pred = b.label_persistence.pred;
      const proba = new Float64Array(rows.length * K);
      pred.forEach((p, r) => (proba[r * K + p] = 1));
      return { rows, pred, proba };
    }
    return { rows, pred: new Int32Array(rows.length).fill(-1), proba: new Float64Array(rows.length * K).fill(1 / K) };
  };

  let champion: Deployed = null;
  let firstChoice: Deployed | undefined;
  const served = new Map<PolicyArm, Oos[]>(o.arms.map((a) => [a, []]));
  const deployments = new Map<PolicyArm, Record<string, number>>(o.arms.map((a) => [a, {}]));
  const tally = (arm: PolicyArm, what: string) => {
    const d = deployments.get(arm)!;
    d[what] = (d[what] ?? 0) + 1;
  };
  const needsGate = o.arms.some((a) => a !== 'policy:baseline');
  for (let w = 0; w < weeks.length; w++) {
    let selected: string | null = null;
    let action: string = 'none';
    if (needsGate && (w === 0 || o.arms.some((a) => a === 'policy:gated' || a === 'policy:always'))) {
      const last = lastKnown(w);
      let plan: ReturnType<typeof planFolds> | null = null;
      try {
        plan = planFolds(first, last, { lag: ds.executionLag, horizon: ds.horizon, ...run.split });
      } catch (e) {
        if (!(e instanceof InsufficientDataError)) throw e;
      }
      if (plan) {
        const candidates: CandidateOos[] = [];
        for (const s of o.specs) {
          const outs = [];
          for (const f of [...plan.cv, plan.final]) {
            const out = await studyFold(ds, f, s, run, plan.gap, o.feed, o.cache, o.hooks);
            for (const arm of ['policy:gated', 'policy:always', 'policy:never'] as const) if (arm !== 'policy:never' || w === 0) use(arm, out);
            outs.push({ rows: out.rows, proba: out.proba });
          }
          candidates.push({ key: s.kind, kind: s.kind, hash: candidateHash(ds.task, s, run), cv: outs.slice(0, -1), final: outs[outs.length - 1] });
        }
        const a = await assessProtocol(ds, plan, candidates, {
          gate: cfg.config.gate,
          dataset: run,
          backtest: cfg.config.backtest,
          meta: null,
          championKey: champion?.kind ?? null,
          championIncomparable: false,
          trials: [],
        });
        selected = a.selected;
        action = a.decision.action;
      }
    }
    // The gate's move for the lineage.
    if (action === 'promote' && selected) champion = { kind: selected, trainedWeek: w };
    else if (action === 'refresh' && champion) champion = { kind: champion.kind, trainedWeek: w };
    else if (action === 'none') champion = null;
    if (firstChoice === undefined) firstChoice = selected ? { kind: selected, trainedWeek: 0 } : null;

    for (const arm of o.arms) {
      let d: Deployed;
      if (arm === 'policy:gated') d = champion;
      else if (arm === 'policy:always') d = selected ? { kind: selected, trainedWeek: w } : null;
      else if (arm === 'policy:never') d = firstChoice ?? null;
      else d = null;
      tally(arm, arm === 'policy:gated' ? (d ? action : 'reference') : d ? 'model' : 'reference');
      served.get(arm)!.push(d ? await serve(arm, d, w) : referenceOn(w));
    }
    if (w % 10 === 0 || w === weeks.length - 1) o.onProgress?.(`policy arms: week ${w + 1}/${weeks.length} (${ds.dates[weeks[w].test!.from]}): ${action}${selected ? ` (selected ${selected})` : ''}`);
  }
  const predictors = o.arms.map((arm) => armPredictor(ds, arm, served.get(arm)!, weeks, null));
  return {
    predictors,
    baselines: baselinePredictors(ds, weeks, predictors[0].foldOf, run.seed, null),
    folds: weeks,
    fits: o.arms.map((a) => fits.get(a)!),
    deployments: o.arms.map((a) => deployments.get(a)!),
  };
}
