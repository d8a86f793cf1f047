import type { RegimeMetrics } from './perRegime';

export interface GateConfig {
  primaryMetric: 'macro_f1' | 'balanced_accuracy' | 'accuracy';
  /** Challenger must beat the champion's primary metric by at least this much. */
  minImprovement: number;
  /** Challenger may be at most this much worse than the champion on crash / recovery. */
  stressTolerance: number;
  /** Sanity: minimum distinct classes predicted on the evaluation window. */
  minClassesPredicted: number;
  /** Strategy task: challenger's backtest max drawdown may exceed the champion's by at most this. */
  drawdownTolerance: number;
}

export const DEFAULT_GATE: GateConfig = { primaryMetric: 'macro_f1', minImprovement: 0.005, stressTolerance: 0.02, minClassesPredicted: 3, drawdownTolerance: 0.05 };

/** Backtest numbers the gate looks at (strategy task only). */
export interface GateBacktest {
  maxDrawdown: number;
}

export interface GateCheck {
  name: string;
  passed: boolean;
  detail: string;
  challenger?: number | null;
  champion?: number | null;
}

export interface GateDecision {
  promoted: boolean;
  reason: string;
  checks: GateCheck[];
}

/**
 * Challenger vs champion, both evaluated on the same window. The first run (no champion)
 * promotes when the sanity checks pass.
 */
export function decidePromotion(
  challenger: RegimeMetrics,
  champion: RegimeMetrics | null,
  cfg: GateConfig,
  nClasses: number,
  backtests?: { challenger: GateBacktest | null; champion: GateBacktest | null },
): GateDecision {
  const checks: GateCheck[] = [];
  const m = cfg.primaryMetric;
  const all = challenger.all;
  const finite = !!all && [all.accuracy, all.macro_f1, all.log_loss, all.balanced_accuracy].every(Number.isFinite);
  checks.push({ name: 'sanity_finite_metrics', passed: finite, detail: finite ? 'all metrics finite' : 'missing or non-finite metrics' });
  const minClasses = Math.min(cfg.minClassesPredicted, nClasses);
  const used = all?.classes_predicted ?? 0;
  checks.push({ name: 'sanity_classes_used', passed: used >= minClasses, detail: `predicts ${used} classes (need >= ${minClasses})`, challenger: used });
  const maxShare = all?.max_pred_share ?? 1;
  checks.push({ name: 'sanity_not_degenerate', passed: maxShare < 0.95, detail: `largest predicted class share ${(maxShare * 100).toFixed(1)}% (must be < 95%)`, challenger: maxShare });
  if (champion?.all) {
    const c = all?.[m] ?? null;
    const h = champion.all[m];
    const better = c !== null && c >= h + cfg.minImprovement;
    checks.push({ name: `primary_${m}`, passed: better, detail: `challenger ${fmt(c)} vs champion ${fmt(h)} (need +${cfg.minImprovement})`, challenger: c, champion: h });
    for (const r of ['crash', 'recovery'] as const) {
      const cr = challenger[r]?.[m] ?? null;
      const hr = champion[r]?.[m] ?? null;
      if (cr === null || hr === null) {
        checks.push({ name: `stress_${r}`, passed: true, detail: `no ${r} samples in the evaluation window`, challenger: cr, champion: hr });
      } else {
        checks.push({ name: `stress_${r}`, passed: cr >= hr - cfg.stressTolerance, detail: `challenger ${fmt(cr)} vs champion ${fmt(hr)} (tolerance ${cfg.stressTolerance})`, challenger: cr, champion: hr });
      }
    }
    if (backtests?.challenger && backtests.champion) {
      const c = backtests.challenger.maxDrawdown;
      const h = backtests.champion.maxDrawdown;
      checks.push({ name: 'backtest_drawdown', passed: c <= h + cfg.drawdownTolerance, detail: `max drawdown ${pct(c)} vs champion ${pct(h)} (tolerance ${pct(cfg.drawdownTolerance)})`, challenger: c, champion: h });
    }
  } else {
    checks.push({ name: 'no_champion', passed: true, detail: 'no current champion: promote if sane' });
  }
  const failed = checks.filter((c) => !c.passed);
  return {
    promoted: failed.length === 0,
    reason: failed.length === 0 ? (champion ? 'challenger beats champion on every check' : 'first model for this task') : `failed: ${failed.map((f) => `${f.name} (${f.detail})`).join('; ')}`,
    checks,
  };
}

function pct(v: number): string {
  return `${(v * 100).toFixed(1)}%`;
}

function fmt(v: number | null | undefined): string {
  return v === null || v === undefined ? 'n/a' : v.toFixed(4);
}
