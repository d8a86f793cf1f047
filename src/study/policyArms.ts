import { rowsBetween, type Dataset } from '../datasets/dataset';
import { InsufficientDataError } from '../errors';
import { protocolDecision, type CandidateOos, candidateHash, type CandidateSpec, type FitHooks, fromProba, type Oos, type FoldCache, type FoldOutcome } from '../evaluation/protocol';
import { baselinesOnFold } from '../evaluation/baselines';
import { planFolds, type FoldPlan, type FoldSpec } from '../sampling/folds';
import type { PolicyArm } from './arms';
import { armPredictor, baselinePredictors } from './armPredictors';
import { cadenceFolds } from './cadence';
import { fitContentKey, studyFold, type FitCount } from './fitting';
import type { StudyConfig } from './runStudy';
import { canonicalJson, Sha256 } from '../util/hash';

/** What a policy deployed for one week: a model (its kind and the week it was trained) or the declared reference. */
type Deployed = { kind: string; trainedWeek: number } | null;

/** The gate's replayed outcome for one week: the candidate the protocol selected and the gate's action ('none': no protocol ran). */
export interface WeekDecision {
  selected: string | null;
  action: string;
}

/** The gate replayed over every week (what the policy arms deploy), with the fits each arm used doing it. */
export interface PolicyReplay {
  decisions: WeekDecision[];
  fits: Partial<Record<PolicyArm, FitCount>>;
}

/** One fit the policy arms need: the fold, the candidate, its purge gap and content key. */
export interface PolicyFit {
  arm: PolicyArm;
  spec: CandidateSpec;
  fold: FoldSpec;
  gap: number;
  key: string;
}

/**
 * The weeks of the policy replay and what was known in each: week r's protocol runs on the folds
 * of an as-of-r run (rows whose labels had ended by the day before r), and its refit trains on
 * every known row. Shared by the planner, the gate replay and the serving, so all three see the
 * same folds.
 */
function policyFrame(ds: Dataset, cfg: StudyConfig, span: { from: number; to: number }) {
  const run = cfg.config.dataset;
  const reach = ds.executionLag + ds.horizon;
  const serveGap = reach + run.split.embargo;
  const weeks = cadenceFolds(ds, span, 'weekly', serveGap, run.split.trainWindowDays);
  const first = ds.t[0];
  const window = (to: number) => ({ from: run.split.trainWindowDays ? Math.max(first, to - run.split.trainWindowDays + 1) : first, to });
  const lastKnown = (w: number) => weeks[w].test!.from - 1 - reach;
  return {
    weeks,
    serveGap,
    /** The protocol's folds of week w's run, or null when too little was known. */
    protocolAt(w: number): FoldPlan | null {
      try {
        return planFolds(first, lastKnown(w), { lag: ds.executionLag, horizon: ds.horizon, ...run.split });
      } catch (e) {
        if (e instanceof InsufficientDataError) return null;
        throw e;
      }
    },
    /** A model trained at week `trainedWeek` on every known row, predicting week w's rows. */
    serveFold: (trainedWeek: number, w: number): FoldSpec => ({ index: w, role: 'refit', train: window(lastKnown(trainedWeek)), test: weeks[w].test }),
  };
}

/** Whether week w's run is replayed: every week for the gated and always arms, the first for never. */
const gateRuns = (arms: PolicyArm[], w: number) => arms.some((a) => a === 'policy:gated' || a === 'policy:always') || (w === 0 && arms.includes('policy:never'));

/** Distinct fits of a list (by content key), the first occurrence kept. */
function distinct(fits: PolicyFit[]): PolicyFit[] {
  const seen = new Set<string>();
  return fits.filter((f) => !seen.has(f.key) && (seen.add(f.key), true));
}

/** Every fit the gate replay needs: each replayed week's protocol folds for every candidate (shared by the weeks that share a fold). */
export function policyGateFits(ds: Dataset, cfg: StudyConfig, span: { from: number; to: number }, arms: PolicyArm[], specs: CandidateSpec[]): PolicyFit[] {
  const run = cfg.config.dataset;
  const f = policyFrame(ds, cfg, span);
  const out: PolicyFit[] = [];
  const keys = new Map<string, string>(); // window → key, per spec: the same folds recur week after week
  for (let w = 0; w < f.weeks.length; w++) {
    if (!gateRuns(arms, w)) continue;
    const plan = f.protocolAt(w);
    if (!plan) continue;
    for (const spec of specs)
      for (const fold of [...plan.cv, plan.final]) {
        const id = `${spec.kind}:${fold.train.from}:${fold.train.to}`;
        let key = keys.get(id);
        if (!key) keys.set(id, (key = fitContentKey(ds, fold, spec, run, plan.gap)));
        out.push({ arm: arms.find((a) => a !== 'policy:baseline')!, spec, fold, gap: plan.gap, key });
      }
  }
  return distinct(out);
}

/** What each arm deploys in each week, given the replayed decisions. */
function deployedByWeek(decisions: WeekDecision[], arms: PolicyArm[]): { arm: PolicyArm; week: number; deployed: Deployed; label: string }[] {
  const out: { arm: PolicyArm; week: number; deployed: Deployed; label: string }[] = [];
  let champion: Deployed = null;
  let firstChoice: Deployed | undefined;
  decisions.forEach(({ selected, action }, w) => {
    // The gate's move for the lineage.
    if (action === 'promote' && selected) champion = { kind: selected, trainedWeek: w };
    else if (action === 'refresh' && champion) champion = { kind: champion.kind, trainedWeek: w };
    else if (action === 'none') champion = null;
    if (firstChoice === undefined) firstChoice = selected ? { kind: selected, trainedWeek: 0 } : null;
    for (const arm of arms) {
      let d: Deployed;
      if (arm === 'policy:gated') d = champion;
      else if (arm === 'policy:always') d = selected ? { kind: selected, trainedWeek: w } : null;
      else if (arm === 'policy:never') d = firstChoice ?? null;
      else d = null;
      out.push({ arm, week: w, deployed: d, label: arm === 'policy:gated' ? (d ? action : 'reference') : d ? 'model' : 'reference' });
    }
  });
  return out;
}

/** Every fit that serves a week under the replayed decisions (each model once: later weeks re-predict with it). */
export function policyServeFits(ds: Dataset, cfg: StudyConfig, span: { from: number; to: number }, arms: PolicyArm[], specs: CandidateSpec[], decisions: WeekDecision[]): PolicyFit[] {
  const run = cfg.config.dataset;
  const f = policyFrame(ds, cfg, span);
  const out: PolicyFit[] = [];
  const seen = new Set<string>();
  for (const { arm, week, deployed } of deployedByWeek(decisions, arms)) {
    if (!deployed || seen.has(`${deployed.kind}:${deployed.trainedWeek}`)) continue;
    seen.add(`${deployed.kind}:${deployed.trainedWeek}`);
    const spec = specs.find((s) => s.kind === deployed.kind)!;
    const fold = f.serveFold(deployed.trainedWeek, week);
    out.push({ arm, spec, fold, gap: f.serveGap, key: fitContentKey(ds, fold, spec, run, f.serveGap) });
  }
  return distinct(out);
}

/** Counts a fit for the first arm that needed it as trained (the replay shares one evaluation per week), as reused after that. */
function fitCounter(arms: PolicyArm[]) {
  const seen = new Set<string>();
  const fits: Partial<Record<PolicyArm, FitCount>> = Object.fromEntries(arms.map((a) => [a, { trained: 0, reused: 0 }]));
  const use = (arm: PolicyArm, out: FoldOutcome) => {
    const c = fits[arm];
    if (!c) return;
    if (out.source === 'fitted' && !seen.has(out.key)) c.trained++;
    else c.reused++;
    seen.add(out.key);
  };
  return { fits, use };
}

/**
 * The gate replayed week by week from --from, as the weekly run would have played it: each week
 * the protocol runs on what was known then and the gate decides with the lineage's champion. Only
 * the protocol's fits are needed (cached ones are reused; `retrainStudy` fans them out first).
 */
export async function replayGate(
  ds: Dataset,
  cfg: StudyConfig,
  o: { span: { from: number; to: number }; arms: PolicyArm[]; specs: CandidateSpec[]; cache: FoldCache; feed: string; hooks?: FitHooks; onProgress?: (what: string) => void },
): Promise<PolicyReplay> {
  const run = cfg.config.dataset;
  const f = policyFrame(ds, cfg, o.span);
  const { fits, use } = fitCounter(o.arms);
  const decisions: WeekDecision[] = [];
  let champion: string | null = null;
  // The gate decides on the CV folds' out-of-sample predictions and the champion only (the final
  // window is scored, never decisive), and a CV fold is added only every `foldDays`: weeks whose
  // CV predictions and champion are the same get the same decision, computed once.
  const memo = new Map<string, WeekDecision>();
  // The same CV fold recurs week after week: its outcome is read (and keyed) once.
  const outcomes = new Map<string, FoldOutcome>();
  for (let w = 0; w < f.weeks.length; w++) {
    const plan = gateRuns(o.arms, w) ? f.protocolAt(w) : null;
    let d: WeekDecision = { selected: null, action: 'none' };
    if (plan) {
      const fit = async (s: CandidateSpec, fold: FoldSpec) => {
        const id = `${s.kind}:${fold.train.from}:${fold.train.to}:${fold.test!.from}:${fold.test!.to}`;
        let out = outcomes.get(id);
        if (!out) outcomes.set(id, (out = await studyFold(ds, fold, s, run, plan.gap, o.feed, o.cache, o.hooks)));
        for (const arm of ['policy:gated', 'policy:always', 'policy:never'] as const) if (arm !== 'policy:never' || w === 0) use(arm, out);
        return { rows: out.rows, proba: out.proba };
      };
      const cv: { rows: Int32Array; proba: Float64Array }[][] = [];
      for (const s of o.specs) {
        const outs = [];
        for (const fold of plan.cv) outs.push(await fit(s, fold));
        cv.push(outs);
      }
      const key = decisionKey(plan.cv, champion, o.specs, cv);
      const known = memo.get(key);
      if (known) d = known;
      else {
        const candidates: CandidateOos[] = [];
        for (const [k, s] of o.specs.entries()) candidates.push({ key: s.kind, kind: s.kind, hash: candidateHash(ds.task, s, run), cv: cv[k], final: await fit(s, plan.final) });
        const a = await protocolDecision(ds, plan, candidates, {
          gate: cfg.config.gate,
          dataset: run,
          backtest: cfg.config.backtest,
          meta: null,
          championKey: champion,
          championIncomparable: false,
          trials: [],
        });
        d = { selected: a.sel >= 0 ? a.predictors[a.sel].key : null, action: a.decision.action };
        memo.set(key, d);
      }
    }
    decisions.push(d);
    // The champion's kind, as the gate's next week sees it (deployedByWeek tracks when it was trained).
    if (d.action === 'promote' && d.selected) champion = d.selected;
    else if (d.action === 'none') champion = null;
    if (w % 10 === 0 || w === f.weeks.length - 1) o.onProgress?.(`policy arms: week ${w + 1}/${f.weeks.length} (${ds.dates[f.weeks[w].test!.from]}): ${d.action}${d.selected ? ` (selected ${d.selected})` : ''}`);
  }
  return { decisions, fits };
}

/** What a week's decision depends on: the CV folds, the champion, and every candidate's CV predictions (exactly, by content). */
function decisionKey(cv: FoldSpec[], champion: string | null, specs: CandidateSpec[], outs: { rows: Int32Array; proba: Float64Array }[][]): string {
  const h = new Sha256().add(canonicalJson({ champion, specs, cv: cv.map((f) => [f.train.from, f.train.to, f.test!.from, f.test!.to]) }));
  for (const o of outs.flat()) h.add(new Uint8Array(o.rows.buffer, o.rows.byteOffset, o.rows.byteLength)).add(new Uint8Array(o.proba.buffer, o.proba.byteOffset, o.proba.byteLength));
  return h.hex();
}

/**
 * The policy arms: the weekly run replayed week by week from --from, as the registry would have
 * played it (`replayGate`, or its stored result), then each week's decision days served by what
 * each policy deployed. Each week's refit trains on every known row.
 * `policy:gated` follows the gate (promote, refresh, keep, or the declared reference when there is
 * no champion); `policy:always` deploys the newest refit of the selected candidate every week;
 * `policy:never` keeps the first week's selected refit forever; `policy:baseline` serves the
 * declared reference only. Served-reference rows are predicted −1 (strategy: the benchmark's
 * weights; signal: no position, or label persistence when that is the reference).
 */
export async function policyArms(
  ds: Dataset,
  cfg: StudyConfig,
  o: { span: { from: number; to: number }; arms: PolicyArm[]; specs: CandidateSpec[]; cache: FoldCache; feed: string; hooks?: FitHooks; onProgress?: (what: string) => void; replay?: PolicyReplay },
) {
  const run = cfg.config.dataset;
  const K = ds.classNames.length;
  const f = policyFrame(ds, cfg, o.span);
  const replay = o.replay ?? (await replayGate(ds, cfg, o));
  if (replay.decisions.length !== f.weeks.length) throw new Error(`the gate replay has ${replay.decisions.length} weeks, the study ${f.weeks.length}`);
  const { fits, use } = fitCounter(o.arms);
  const spec = (kind: string) => o.specs.find((s) => s.kind === kind)!;

  // A model serving a run of consecutive weeks predicts them in one pass (rows are independent),
  // then the run is cut back into its weeks: one artifact read per run, not per week.
  const serve = async (arm: PolicyArm, d: NonNullable<Deployed>, first: number, last: number): Promise<Oos[]> => {
    const fold = { ...f.serveFold(d.trainedWeek, first), test: { from: f.weeks[first].test!.from, to: f.weeks[last].test!.to } };
    const out = await studyFold(ds, fold, spec(d.kind), run, f.serveGap, o.feed, o.cache, o.hooks);
    use(arm, out);
    const start = out.rows[0];
    return Array.from({ length: last - first + 1 }, (_, k) => {
      const rows = rowsBetween(ds, f.weeks[first + k].test!.from, f.weeks[first + k].test!.to);
      const at = rows.length ? rows[0] - start : 0;
      return fromProba(rows, out.proba.slice(at * K, (at + rows.length) * K), K);
    });
  };
  const referenceOn = (w: number): Oos => {
    const b = baselinesOnFold(ds, f.weeks[w], run.seed);
    const rows = b.majority.rows;
    if (ds.task === 'signal' && cfg.config.gate.signalBaseline === 'label_persistence') {
      const pred = b.label_persistence.pred;
      const proba = new Float64Array(rows.length * K);
      pred.forEach((p, r) => (proba[r * K + p] = 1));
      return { rows, pred, proba };
    }
    return { rows, pred: new Int32Array(rows.length).fill(-1), proba: new Float64Array(rows.length * K).fill(1 / K) };
  };

  const served = new Map<PolicyArm, Oos[]>(o.arms.map((a) => [a, []]));
  const deployments = new Map<PolicyArm, Record<string, number>>(o.arms.map((a) => [a, {}]));
  const plan = deployedByWeek(replay.decisions, o.arms);
  for (const arm of o.arms) {
    const weeks = plan.filter((x) => x.arm === arm);
    const tally = deployments.get(arm)!;
    for (const { label } of weeks) tally[label] = (tally[label] ?? 0) + 1;
    const same = (a: Deployed, b: Deployed) => a === b || (!!a && !!b && a.kind === b.kind && a.trainedWeek === b.trainedWeek);
    for (let w = 0; w < weeks.length; ) {
      const d = weeks[w].deployed;
      let end = w;
      while (end + 1 < weeks.length && same(weeks[end + 1].deployed, d)) end++;
      if (d) served.get(arm)!.push(...(await serve(arm, d, w, end)));
      else for (let k = w; k <= end; k++) served.get(arm)!.push(referenceOn(k));
      w = end + 1;
    }
  }
  const predictors = o.arms.map((arm) => armPredictor(ds, arm, served.get(arm)!, f.weeks, null));
  const sum = (a: FitCount | undefined, b: FitCount | undefined): FitCount => ({ trained: (a?.trained ?? 0) + (b?.trained ?? 0), reused: (a?.reused ?? 0) + (b?.reused ?? 0) });
  return {
    predictors,
    baselines: baselinePredictors(ds, f.weeks, predictors[0].foldOf, run.seed, null),
    folds: f.weeks,
    fits: o.arms.map((a) => sum(replay.fits[a], fits[a])),
    deployments: o.arms.map((a) => deployments.get(a)!),
  };
}
