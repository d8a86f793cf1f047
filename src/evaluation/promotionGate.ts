import type { RegimeMetrics } from './perRegime';

export interface GateConfig {
  primaryMetric: 'macro_f1' | 'balanced_accuracy' | 'accuracy';
  /** One-sided significance level for "beats the best baseline" (multiple-testing corrected) and "beats the champion". */
  alpha: number;
  /** Strategy task: minimum deflated Sharpe ratio of the walk-forward backtest. */
  minDsr: number;
  /** A regime with fewer pooled rows than this gets an inconclusive stress check. */
  minRegimeSamples: number;
  /** Challenger may be at most this much worse than the comparator on crash / recovery. */
  stressTolerance: number;
  /** Sanity: minimum distinct classes predicted (capped at the classes labels can reach). */
  minClassesPredicted: number;
  /** Strategy task: challenger's backtest max drawdown may exceed the champion's by at most this. */
  drawdownTolerance: number;
  bootstrapReps: number;
}

export const DEFAULT_GATE: GateConfig = {
  primaryMetric: 'macro_f1',
  alpha: 0.05,
  minDsr: 0.95,
  minRegimeSamples: 50,
  stressTolerance: 0.02,
  minClassesPredicted: 3,
  drawdownTolerance: 0.05,
  bootstrapReps: 1000,
};

/** A paired comparison on the pooled out-of-sample rows. */
export interface Comparison {
  /** Observed difference of the primary metric (challenger minus the other). */
  diff: number;
  ci: [number, number];
  /** One-sided p-value of "challenger is better". */
  pValue: number;
}

/** Everything the gate weighs, computed by the walk-forward assessment. */
export interface Evidence {
  task: string;
  selected: { key: string; metrics: RegimeMetrics; maxDrawdown: number | null; dsr: number | null } | null;
  reachableClasses: number;
  baseline: { key: string; primary: number };
  /** Selected vs best baseline; pValue corrected for choosing the best of `candidates`. */
  vsBaseline: (Comparison & { pValueUncorrected: number }) | null;
  candidates: number;
  champion: {
    key: string;
    /** Same configuration as the selected candidate: deploying it again is a refresh. */
    sameConfig: boolean;
    metrics: RegimeMetrics;
    maxDrawdown: number | null;
    dsr: number | null;
    vsBaseline: Comparison;
    vsChampion: Comparison | null;
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
  pValue: number | null;
}

const f4 = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? 'n/a' : v.toFixed(4));
const pfmt = (p: number) => (p < 0.001 ? '< 0.001' : p.toFixed(3));
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

function sanityChecks(m: RegimeMetrics, reachable: number, cfg: GateConfig): GateCheck[] {
  const all = m.all;
  const finite = !!all && [all.accuracy, all.macro_f1, all.log_loss, all.balanced_accuracy].every(Number.isFinite);
  const minClasses = Math.min(cfg.minClassesPredicted, reachable);
  const used = all?.classes_predicted ?? 0;
  const maxShare = all?.max_pred_share ?? 1;
  return [
    { name: 'sanity_finite_metrics', passed: finite, detail: finite ? 'all metrics finite' : 'missing or non-finite metrics' },
    { name: 'sanity_classes_used', passed: used >= minClasses, detail: `predicts ${used} classes (need >= ${minClasses} of the ${reachable} the labels reach)`, challenger: used },
    { name: 'sanity_not_degenerate', passed: maxShare < 0.95, detail: `largest predicted class share ${pct(maxShare)} (must be < 95%)`, challenger: maxShare },
  ];
}

function stressChecks(c: RegimeMetrics, other: RegimeMetrics, otherName: string, cfg: GateConfig): GateCheck[] {
  const m = cfg.primaryMetric;
  return (['crash', 'recovery'] as const).map((r) => {
    const n = Math.min(c[r]?.samples ?? 0, other[r]?.samples ?? 0);
    const cr = c[r]?.[m] ?? null;
    const hr = other[r]?.[m] ?? null;
    if (cr === null || hr === null || n < cfg.minRegimeSamples) {
      return { name: `stress_${r}`, passed: null, detail: `inconclusive: ${n} ${r} rows (need ${cfg.minRegimeSamples})`, challenger: cr, champion: hr };
    }
    return { name: `stress_${r}`, passed: cr >= hr - cfg.stressTolerance, detail: `${f4(cr)} vs ${otherName} ${f4(hr)} on ${n} ${r} rows (tolerance ${cfg.stressTolerance})`, challenger: cr, champion: hr };
  });
}

/**
 * The promotion decision. A configuration becomes (or stays) champion only on evidence:
 * it beats the best baseline with a one-sided p <= alpha after correcting for the number of
 * candidates it was chosen from, its strategy backtest has a deflated Sharpe ratio >= minDsr,
 * it is sane, and a challenger must also beat the champion's configuration on the same
 * folds with p <= alpha. The first run of a lineage is no exception. When the challenger fails
 * but the champion's configuration still proves its skill, the champion is refreshed (its
 * refit on the newest data is deployed); when nothing proves skill, nothing is deployed.
 */
export function decidePromotion(e: Evidence, cfg: GateConfig): GateDecision {
  if (!e.selected || !e.vsBaseline) {
    return { action: e.champion ? 'keep' : 'none', promoted: false, reason: 'no candidate was evaluated', checks: [], pValue: null };
  }
  const checks: GateCheck[] = sanityChecks(e.selected.metrics, e.reachableClasses, cfg);
  const vb = e.vsBaseline;
  checks.push({
    name: 'beats_baseline',
    passed: vb.pValue <= cfg.alpha,
    detail: `${e.selected.key} vs ${e.baseline.key}: ${cfg.primaryMetric} ${vb.diff >= 0 ? '+' : ''}${f4(vb.diff)} (95% CI ${f4(vb.ci[0])}..${f4(vb.ci[1])}), p = ${pfmt(vb.pValue)} corrected for ${e.candidates} candidate${e.candidates === 1 ? "" : "s"} (uncorrected ${pfmt(vb.pValueUncorrected)}; need <= ${cfg.alpha})`,
    challenger: vb.diff,
  });
  if (e.task === 'strategy') {
    const d = e.selected.dsr;
    checks.push({ name: 'deflated_sharpe', passed: d !== null && d >= cfg.minDsr, detail: `deflated Sharpe ratio ${f4(d)} (need >= ${cfg.minDsr})`, challenger: d });
  }
  const ch = e.champion;
  if (ch && !ch.sameConfig) {
    const vc = ch.vsChampion;
    checks.push(
      vc
        ? { name: 'beats_champion', passed: vc.pValue <= cfg.alpha, detail: `vs the champion's configuration on the same folds: ${vc.diff >= 0 ? '+' : ''}${f4(vc.diff)} (95% CI ${f4(vc.ci[0])}..${f4(vc.ci[1])}), p = ${pfmt(vc.pValue)}`, challenger: vc.diff }
        : { name: 'beats_champion', passed: false, detail: 'the champion configuration has no comparable predictions' },
    );
    checks.push(...stressChecks(e.selected.metrics, ch.metrics, 'champion', cfg));
    if (e.selected.maxDrawdown !== null && ch.maxDrawdown !== null) {
      checks.push({ name: 'backtest_drawdown', passed: e.selected.maxDrawdown <= ch.maxDrawdown + cfg.drawdownTolerance, detail: `max drawdown ${pct(e.selected.maxDrawdown)} vs champion ${pct(ch.maxDrawdown)} (tolerance ${pct(cfg.drawdownTolerance)})`, challenger: e.selected.maxDrawdown, champion: ch.maxDrawdown });
    }
  } else if (!ch) {
    if (e.championIncomparable) checks.push({ name: 'champion_comparable', passed: null, detail: 'the champion uses other features or classes: judged against baselines only' });
    else checks.push({ name: 'no_champion', passed: null, detail: 'no champion in this lineage yet: the candidate must still beat the best baseline' });
  }
  const failed = checks.filter((c) => c.passed === false);
  if (failed.length === 0) {
    const action = ch?.sameConfig ? 'refresh' : 'promote';
    const what = action === 'refresh' ? `the champion's configuration (${e.selected.key}) still beats ${e.baseline.key} (p = ${pfmt(vb.pValue)}): refitted on the newest data and redeployed` : ch ? `${e.selected.key} beats ${e.baseline.key} (p = ${pfmt(vb.pValue)}) and the champion (p = ${pfmt(ch.vsChampion!.pValue)}): promoted` : `${e.selected.key} beats ${e.baseline.key} (p = ${pfmt(vb.pValue)}): promoted as the first champion`;
    return { action, promoted: true, reason: what, checks, pValue: vb.pValue };
  }
  const why = failed.map((f) => `${f.name} (${f.detail})`).join('; ');
  if (ch) {
    const keepsSkill = ch.vsBaseline.pValue <= cfg.alpha && (e.task !== 'strategy' || (ch.dsr !== null && ch.dsr >= cfg.minDsr));
    if (keepsSkill && !ch.sameConfig) {
      return { action: 'refresh', promoted: true, reason: `challenger refused: ${why}. The champion's configuration still beats ${e.baseline.key} (p = ${pfmt(ch.vsBaseline.pValue)}): refitted on the newest data and redeployed`, checks, pValue: vb.pValue };
    }
    return { action: 'keep', promoted: false, reason: `refused: ${why}. Champion unchanged${keepsSkill ? '' : ` (its configuration no longer beats ${e.baseline.key}: p = ${pfmt(ch.vsBaseline.pValue)})`}`, checks, pValue: vb.pValue };
  }
  return { action: 'none', promoted: false, reason: `no candidate proves skill: ${why}. No champion; predictions come from the best baseline (${e.baseline.key})`, checks, pValue: vb.pValue };
}
