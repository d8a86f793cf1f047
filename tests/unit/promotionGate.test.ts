import { describe, expect, it } from 'vitest';
import type { RegimeMetrics } from '../../src/evaluation/perRegime';
import { decidePromotion, DEFAULT_GATE, type Evidence } from '../../src/evaluation/promotionGate';
import { resolveLineage } from '../../src/registry/lineage';

function metrics(f1: number, crashN = 200, crashF1 = f1): RegimeMetrics {
  const m = (n: number, v: number) => ({ samples: n, accuracy: 0.5, balanced_accuracy: 0.5, macro_f1: v, log_loss: 1, ece: 0.1, classes_predicted: 4, max_pred_share: 0.4, confusion: [] });
  return { all: m(2000, f1), low_volatility: m(500, f1), normal: m(800, f1), high_volatility: m(300, f1), crash: crashN ? m(crashN, crashF1) : null, recovery: m(200, f1) };
}

const cmp = (diff: number, p: number) => ({ diff, ci: [diff - 0.02, diff + 0.02] as [number, number], pValue: p });

function evidence(o: Partial<Evidence> = {}): Evidence {
  return {
    task: 'signal',
    selected: { key: 'random_forest', metrics: metrics(0.4), maxDrawdown: null, dsr: null },
    reachableClasses: 3,
    baseline: { key: 'label_persistence', primary: 0.35 },
    vsBaseline: { ...cmp(0.05, 0.01), pValueUncorrected: 0.004 },
    candidates: 9,
    champion: null,
    championIncomparable: false,
    ...o,
  };
}

describe('promotion gate', () => {
  it('promotes a first model only when it beats the best baseline, corrected for the number of candidates', () => {
    const ok = decidePromotion(evidence(), DEFAULT_GATE);
    expect(ok).toMatchObject({ action: 'promote', promoted: true });
    expect(ok.reason).toMatch(/random_forest beats label_persistence \(p = 0\.010\): promoted as the first champion/);
    const noise = decidePromotion(evidence({ vsBaseline: { ...cmp(0.004, 0.31), pValueUncorrected: 0.06 } }), DEFAULT_GATE);
    expect(noise).toMatchObject({ action: 'none', promoted: false });
    expect(noise.reason).toMatch(/beats_baseline \(random_forest vs label_persistence: macro_f1 \+0\.0040 \(95% CI .*\), p = 0\.310 corrected for 9 candidates/);
    expect(noise.reason).toMatch(/No champion; predictions come from the best baseline \(label_persistence\)/);
  });

  it('the strategy task also needs a deflated Sharpe ratio of at least 0.95', () => {
    const strat = (dsr: number) => evidence({ task: 'strategy', selected: { key: 'xgboost', metrics: metrics(0.3), maxDrawdown: 0.2, dsr } });
    expect(decidePromotion(strat(0.97), DEFAULT_GATE).promoted).toBe(true);
    const low = decidePromotion(strat(0.9), DEFAULT_GATE);
    expect(low.promoted).toBe(false);
    expect(low.reason).toMatch(/deflated_sharpe \(deflated Sharpe ratio 0\.9000 \(need >= 0\.95\)\)/);
  });

  it('a challenger must also beat the champion\'s configuration; otherwise a still-skilled champion is refreshed', () => {
    const champion = (vsChampion: ReturnType<typeof cmp>, championP: number) => ({ key: 'logistic', sameConfig: false, metrics: metrics(0.38), maxDrawdown: null, dsr: null, vsBaseline: cmp(0.03, championP), vsChampion });
    const better = decidePromotion(evidence({ champion: champion(cmp(0.02, 0.01), 0.02) }), DEFAULT_GATE);
    expect(better).toMatchObject({ action: 'promote', promoted: true });
    const tie = decidePromotion(evidence({ champion: champion(cmp(0.001, 0.45), 0.02) }), DEFAULT_GATE);
    expect(tie.action).toBe('refresh');
    expect(tie.reason).toMatch(/challenger refused: beats_champion .*p = 0\.450.*still beats label_persistence \(p = 0\.020\): refitted on the newest data/);
    const stale = decidePromotion(evidence({ champion: champion(cmp(0.001, 0.45), 0.4) }), DEFAULT_GATE);
    expect(stale).toMatchObject({ action: 'keep', promoted: false });
    expect(stale.reason).toMatch(/Champion unchanged \(its configuration no longer beats label_persistence: p = 0\.400\)/);
  });

  it('the same configuration as the champion, still proving skill, is a refresh', () => {
    const d = decidePromotion(evidence({ champion: { key: 'random_forest', sameConfig: true, metrics: metrics(0.4), maxDrawdown: null, dsr: null, vsBaseline: cmp(0.05, 0.01), vsChampion: null } }), DEFAULT_GATE);
    expect(d.action).toBe('refresh');
    expect(d.reason).toMatch(/the champion's configuration \(random_forest\) still beats label_persistence/);
  });

  it('stress checks with too few rows are inconclusive, never passed; with enough rows they bite', () => {
    const champ = (crashN: number) => ({ key: 'logistic', sameConfig: false, metrics: metrics(0.38, crashN, 0.45), maxDrawdown: null, dsr: null, vsBaseline: cmp(0.03, 0.02), vsChampion: cmp(0.02, 0.01) });
    const few = decidePromotion(evidence({ selected: { key: 'rf', metrics: metrics(0.4, 20, 0.2), maxDrawdown: null, dsr: null }, champion: champ(20) }), DEFAULT_GATE);
    const crash = few.checks.find((c) => c.name === 'stress_crash')!;
    expect(crash.passed).toBeNull();
    expect(crash.detail).toMatch(/inconclusive: 20 crash rows \(need 50\)/);
    const many = decidePromotion(evidence({ selected: { key: 'rf', metrics: metrics(0.4, 200, 0.2), maxDrawdown: null, dsr: null }, champion: champ(200) }), DEFAULT_GATE);
    expect(many.checks.find((c) => c.name === 'stress_crash')!.passed).toBe(false);
    expect(many.action).toBe('refresh'); // the challenger is refused; the champion's configuration stays (refitted)
  });

  it('refuses a better classifier whose strategy drawdown is worse beyond the tolerance', () => {
    const e = (dd: number) =>
      evidence({
        task: 'strategy',
        selected: { key: 'xgboost', metrics: metrics(0.4), maxDrawdown: dd, dsr: 0.99 },
        champion: { key: 'logistic', sameConfig: false, metrics: metrics(0.38), maxDrawdown: 0.1, dsr: 0.99, vsBaseline: cmp(0.02, 0.01), vsChampion: cmp(0.02, 0.01) },
      });
    const d = decidePromotion(e(0.2), DEFAULT_GATE);
    expect(d.promoted).toBe(true); // refused as a challenger, but the champion's configuration is refreshed
    expect(d.action).toBe('refresh');
    expect(d.reason).toMatch(/backtest_drawdown \(max drawdown 20\.0% vs champion 10\.0%/);
    expect(decidePromotion(e(0.14), DEFAULT_GATE).action).toBe('promote');
  });

  it('sanity: the classes-used rule counts only classes the labels can reach', () => {
    const narrow = { ...metrics(0.4), all: { ...metrics(0.4).all!, classes_predicted: 2 } };
    expect(decidePromotion(evidence({ selected: { key: 'rf', metrics: narrow, maxDrawdown: null, dsr: null }, reachableClasses: 2 }), DEFAULT_GATE).promoted).toBe(true);
    const d = decidePromotion(evidence({ selected: { key: 'rf', metrics: narrow, maxDrawdown: null, dsr: null }, reachableClasses: 5 }), DEFAULT_GATE);
    expect(d.reason).toMatch(/predicts 2 classes \(need >= 3 of the 5 the labels reach\)/);
  });
});

describe('registry lineage', () => {
  const base = { trigger: 'manual' as const, asOf: '2026-02-14', workflowId: 'wf-1', liveEffectiveFrom: ['2026-02-07', null] };
  it('runs that move time forward use the live lineage', () => {
    expect(resolveLineage(base)).toBe('live');
    expect(resolveLineage({ ...base, trigger: 'schedule', asOf: '2026-02-07' })).toBe('live');
  });
  it('a run dated before the live champion, or a backfill, gets a lineage of its own', () => {
    expect(resolveLineage({ ...base, asOf: '2015-06-27' })).toBe('asof:wf-1');
    expect(resolveLineage({ ...base, trigger: 'backfill' })).toBe('backfill:schedule');
    expect(resolveLineage({ ...base, explicit: 'backfill:bf-42' })).toBe('backfill:bf-42');
  });
});
