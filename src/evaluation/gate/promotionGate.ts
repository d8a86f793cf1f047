import type { Estimate } from '../protocol/decisionEvidence';
import type { StrategyBenchmark } from '../protocol/strategyEvaluation';

export interface GateConfig {
  /** Classification metric reported beside the decision value as a diagnostic; it never decides. */
  primaryMetric: 'macro_f1' | 'balanced_accuracy' | 'accuracy' | 'kappa';
  /** One-sided significance level of every test the gate makes (each leg corrected for the candidates). */
  alpha: number;
  /** Minimum deflated information ratio (DSR of the active daily return) given the registry's trials. */
  minDsr: number;
  /** A regime with fewer days than this gets an inconclusive stress check. */
  minRegimeSamples: number;
  /** On crash / recovery days a challenger may trail the champion's configuration by at most this (annualised return), at 95% confidence. */
  stressTolerance: number;
  /** Strategy task: challenger's backtest max drawdown may exceed the champion's by at most this. */
  drawdownTolerance: number;
  bootstrapReps: number;
  /** Strategy task: the benchmark declared before the run, which a policy must beat (besides its static twin). */
  benchmark: StrategyBenchmark;
  /** Signal task: the baseline book a signal must beat (besides its static twin); `flat` is no position (return 0). */
  signalBaseline: 'flat' | 'label_persistence';
}

export const DEFAULT_GATE: GateConfig = {
  primaryMetric: 'macro_f1',
  alpha: 0.05,
  minDsr: 0.95,
  minRegimeSamples: 50,
  stressTolerance: 0.02,
  drawdownTolerance: 0.05,
  bootstrapReps: 1000,
  benchmark: 'sixty_forty',
  signalBaseline: 'flat',
};

/** One leg of the decision value: the selected policy against one reference. */
export interface LegEvidence extends Estimate {
  /** `ic` only in the study's evidence, never a gate leg. */
  name: 'benchmark' | 'twin' | 'long_short' | 'ic';
  reference: string;
  unit: 'return' | 'ic';
  /** p corrected for the number of candidates (single-step SPA); the gate reads this one. */
  pAdjusted: number;
}

/** Everything the gate weighs, computed by the walk-forward assessment. */
export interface Evidence {
  task: string;
  /** The declared reference (strategy benchmark or signal baseline): what answers when nothing is promoted. */
  reference: string;
  selected: { key: string; legs: LegEvidence[]; finite: boolean; dsr: number | null; maxDrawdown: number | null } | null;
  candidates: number;
  champion: {
    key: string;
    /** Same configuration as the selected candidate: deploying it again is a refresh. */
    sameConfig: boolean;
    /** Its own legs against the references (uncorrected: its configuration was chosen in an earlier run). */
    legs: LegEvidence[];
    dsr: number | null;
    maxDrawdown: number | null;
    /** Challenger's daily value minus the champion configuration's, overall and on stress days. */
    vsChampion: { overall: Estimate; stress: Record<'crash' | 'recovery', Estimate | null> } | null;
  } | null;
  /** True when a champion exists but its configuration could not be evaluated on this dataset. */
  championIncomparable: boolean;
}

export interface GateCheck {
  name: string;
  /** null = inconclusive (too few samples): reported, never counted as passed. */
  passed: boolean | null;
  detail: string;
  challenger?: number | null;
  champion?: number | null;
}

export interface GateDecision {
  action: 'promote' | 'refresh' | 'keep' | 'none';
  promoted: boolean;
  reason: string;
  checks: GateCheck[];
  /** The gate's p-value: the largest corrected p over the legs (every leg must pass). */
  pValue: number | null;
  /** The same before the correction for the number of candidates (what a placebo audit plots). */
  pValueUncorrected: number | null;
  /** "keep": the champion stays although its own configuration no longer proves skill (the gate activity counts the weeks and may retire it). */
  championUnproven?: boolean;
}

const pfmt = (p: number) => (p < 0.001 ? '< 0.001' : p.toFixed(3));
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const f4 = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? 'n/a' : v.toFixed(4));
const signed = (v: number, unit: 'return' | 'ic') => (unit === 'return' ? `${v >= 0 ? '+' : ''}${pct(v)}/yr` : `${v >= 0 ? '+' : ''}${v.toFixed(4)}`);
const range = (ci: [number, number], unit: 'return' | 'ic') => (unit === 'return' ? `${pct(ci[0])}..${pct(ci[1])}` : `${ci[0].toFixed(4)}..${ci[1].toFixed(4)}`);

const LEG_CHECK: Record<LegEvidence['name'], string> = { benchmark: 'beats_benchmark', twin: 'beats_static_twin', long_short: 'long_short_beats_baseline', ic: 'ic_beats_baseline' };
const LEG_WHAT: Record<LegEvidence['name'], string> = { benchmark: 'net return over', twin: 'net return over', long_short: 'long-short return over', ic: 'daily IC over' };

/** The worst leg decides: the largest p over the legs (an intersection-union test keeps the level). */
export function worstLeg(legs: { pAdjusted: number; pValue: number }[]): { corrected: number; uncorrected: number } {
  return { corrected: Math.max(...legs.map((l) => l.pAdjusted)), uncorrected: Math.max(...legs.map((l) => l.pValue)) };
}

function legCheck(key: string, l: LegEvidence, candidates: number, alpha: number): GateCheck {
  return {
    name: LEG_CHECK[l.name],
    passed: l.pAdjusted <= alpha,
    detail: `${key} ${LEG_WHAT[l.name]} ${l.reference}: ${signed(l.diff, l.unit)} (95% CI ${range(l.ci, l.unit)}, ${l.n} days), p = ${pfmt(l.pAdjusted)} corrected for ${candidates} candidate${candidates === 1 ? '' : 's'} (uncorrected ${pfmt(l.pValue)}; need <= ${alpha})`,
    challenger: l.diff,
  };
}

function stressChecks(vs: NonNullable<NonNullable<Evidence['champion']>['vsChampion']>, cfg: GateConfig): GateCheck[] {
  return (['crash', 'recovery'] as const).map((r) => {
    const e = vs.stress[r];
    if (!e || e.n < cfg.minRegimeSamples) return { name: `stress_${r}`, passed: null, detail: `inconclusive: ${e?.n ?? 0} ${r} days (need ${cfg.minRegimeSamples})` };
    return {
      name: `stress_${r}`,
      passed: e.ci[1] >= -cfg.stressTolerance,
      detail: `vs the champion's configuration on ${e.n} ${r} days: ${signed(e.diff, 'return')} (95% CI ${range(e.ci, 'return')}); refused only when surely worse by more than ${pct(cfg.stressTolerance)}/yr`,
      challenger: e.diff,
    };
  });
}

/**
 * The promotion decision, on what the policy earns. A configuration becomes (or stays) champion
 * only when its walk-forward decisions beat every declared reference — strategy: the benchmark
 * and its own static twin (so timing, not a different average risk, is what is promoted);
 * signal: the baseline's long-short book and its own static twin (so a fixed lean toward some
 * names is not promoted as a signal) — each by a one-sided p <= alpha
 * corrected for the number of candidates it was chosen from, with a deflated information ratio
 * >= minDsr given every configuration the registry has seen. A challenger must also beat the
 * champion's configuration on the same folds, and not be surely worse on crash and recovery
 * days. When the challenger fails but the champion's configuration still proves its value, the
 * champion is refreshed; when nothing proves it, nothing is deployed and the reference answers.
 */
export function decidePromotion(e: Evidence, cfg: GateConfig): GateDecision {
  if (!e.selected) {
    return { action: e.champion ? 'keep' : 'none', promoted: false, reason: 'no candidate was evaluated', checks: [], pValue: null, pValueUncorrected: null };
  }
  const s = e.selected;
  const checks: GateCheck[] = [{ name: 'sanity_finite_values', passed: s.finite, detail: s.finite ? 'every daily value finite' : 'missing or non-finite daily values' }];
  checks.push(...s.legs.map((l) => legCheck(s.key, l, e.candidates, cfg.alpha)));
  checks.push({ name: 'deflated_information_ratio', passed: s.dsr !== null && s.dsr >= cfg.minDsr, detail: `deflated information ratio of the active daily return ${f4(s.dsr)} (need >= ${cfg.minDsr})`, challenger: s.dsr });
  const p = worstLeg(s.legs);
  const ch = e.champion;
  if (ch && !ch.sameConfig) {
    const vc = ch.vsChampion;
    checks.push(
      vc
        ? { name: 'beats_champion', passed: vc.overall.pValue <= cfg.alpha, detail: `vs the champion's configuration on the same folds: ${signed(vc.overall.diff, 'return')} (95% CI ${range(vc.overall.ci, 'return')}, ${vc.overall.n} days), p = ${pfmt(vc.overall.pValue)}`, challenger: vc.overall.diff }
        : { name: 'beats_champion', passed: false, detail: 'the champion configuration has no comparable predictions' },
    );
    if (vc) checks.push(...stressChecks(vc, cfg));
    if (s.maxDrawdown !== null && ch.maxDrawdown !== null) {
      checks.push({ name: 'backtest_drawdown', passed: s.maxDrawdown <= ch.maxDrawdown + cfg.drawdownTolerance, detail: `max drawdown ${pct(s.maxDrawdown)} vs champion ${pct(ch.maxDrawdown)} (tolerance ${pct(cfg.drawdownTolerance)})`, challenger: s.maxDrawdown, champion: ch.maxDrawdown });
    }
  } else if (!ch) {
    if (e.championIncomparable) checks.push({ name: 'champion_comparable', passed: null, detail: 'the champion uses other features or classes: judged against the references only' });
    else checks.push({ name: 'no_champion', passed: null, detail: `no champion in this lineage yet: the candidate must still beat ${e.reference}` });
  }
  const failed = checks.filter((c) => c.passed === false);
  const refs = s.legs.map((l) => l.reference).filter((r, i, a) => a.indexOf(r) === i).join(' and ');
  if (failed.length === 0) {
    const action = ch?.sameConfig ? 'refresh' : 'promote';
    const what =
      action === 'refresh'
        ? `the champion's configuration (${s.key}) still beats ${refs} (p = ${pfmt(p.corrected)}): refitted on the newest data and redeployed`
        : ch
          ? `${s.key} beats ${refs} (p = ${pfmt(p.corrected)}) and the champion (p = ${pfmt(ch.vsChampion!.overall.pValue)}): promoted`
          : `${s.key} beats ${refs} (p = ${pfmt(p.corrected)}): promoted as the first champion`;
    return { action, promoted: true, reason: what, checks, pValue: p.corrected, pValueUncorrected: p.uncorrected };
  }
  const why = failed.map((f) => `${f.name} (${f.detail})`).join('; ');
  const base = { checks, pValue: p.corrected, pValueUncorrected: p.uncorrected };
  if (ch) {
    const keepsSkill = ch.legs.length > 0 && ch.legs.every((l) => l.pValue <= cfg.alpha) && ch.dsr !== null && ch.dsr >= cfg.minDsr;
    if (keepsSkill && !ch.sameConfig) {
      return { action: 'refresh', promoted: true, reason: `challenger refused: ${why}. The champion's configuration still beats ${refs} (p = ${pfmt(worstLeg(ch.legs.map((l) => ({ ...l, pAdjusted: l.pValue }))).corrected)}): refitted on the newest data and redeployed`, ...base };
    }
    return { action: 'keep', promoted: false, reason: `refused: ${why}. Champion unchanged${keepsSkill ? '' : ` (its configuration no longer beats ${refs}: p = ${pfmt(Math.max(...ch.legs.map((l) => l.pValue), 1e-9))})`}`, ...base, championUnproven: !keepsSkill };
  }
  return { action: 'none', promoted: false, reason: `no candidate proves skill: ${why}. No champion; predictions come from ${e.reference}`, ...base };
}
