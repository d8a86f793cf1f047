import { describe, expect, it } from 'vitest';
import { decidePromotion, DEFAULT_GATE, type Evidence, type LegEvidence } from '../../../../src/evaluation/gate';
import { resolveLineage } from '../../../../src/registry/lineage';

const leg = (name: LegEvidence['name'], diff: number, p: number, pUncorrected = p): LegEvidence => ({
  name,
  reference: name === 'twin' ? 'its static twin' : name === 'benchmark' ? 'sixty_forty' : 'flat',
  unit: 'return',
  diff,
  ci: [diff - 0.02, diff + 0.02],
  pValue: pUncorrected,
  pAdjusted: p,
  n: 4000,
});
const est = (diff: number, p: number, n = 4000) => ({ diff, ci: [diff - 0.03, diff + 0.03] as [number, number], pValue: p, n });

function evidence(o: Partial<Evidence> = {}): Evidence {
  return {
    task: 'strategy',
    reference: 'sixty_forty',
    selected: { key: 'random_forest', legs: [leg('benchmark', 0.03, 0.01, 0.004), leg('twin', 0.02, 0.02, 0.01)], finite: true, dsr: 0.99, maxDrawdown: 0.2 },
    candidates: 9,
    champion: null,
    championIncomparable: false,
    ...o,
  };
}

const champion = (vs: { diff: number; p: number } | null, championLegP: number, extra: Partial<NonNullable<Evidence['champion']>> = {}): NonNullable<Evidence['champion']> => ({
  key: 'logistic',
  sameConfig: false,
  legs: [leg('benchmark', 0.02, championLegP), leg('twin', 0.01, championLegP)],
  dsr: 0.98,
  maxDrawdown: 0.2,
  vsChampion: vs ? { overall: est(vs.diff, vs.p), stress: { crash: est(0, 0.5, 200), recovery: est(0, 0.5, 180) } } : null,
  ...extra,
});

describe('promotion gate on decision value', () => {
  it('promotes a first policy only when every leg beats its reference, corrected for the candidates; the worst leg decides', () => {
    const ok = decidePromotion(evidence(), DEFAULT_GATE);
    expect(ok).toMatchObject({ action: 'promote', promoted: true, pValue: 0.02, pValueUncorrected: 0.01 });
    expect(ok.reason).toMatch(/random_forest beats sixty_forty and its static twin \(p = 0\.020\): promoted as the first champion/);
    // Beating 60/40 by holding more equity is not timing skill: the static twin is not beaten.
    const riskOnly = decidePromotion(evidence({ selected: { ...evidence().selected!, legs: [leg('benchmark', 0.04, 0.001), leg('twin', 0.001, 0.41, 0.4)] } }), DEFAULT_GATE);
    expect(riskOnly).toMatchObject({ action: 'none', promoted: false, pValue: 0.41 });
    expect(riskOnly.reason).toMatch(/beats_static_twin \(random_forest net return over its static twin: \+0\.1%\/yr \(95% CI .*, 4000 days\), p = 0\.410 corrected for 9 candidates \(uncorrected 0\.400/);
    expect(riskOnly.reason).toMatch(/No champion; predictions come from sixty_forty/);
  });

  it('needs a deflated information ratio of at least minDsr, and finite values', () => {
    expect(decidePromotion(evidence({ selected: { ...evidence().selected!, dsr: 0.97 } }), DEFAULT_GATE).promoted).toBe(true);
    const low = decidePromotion(evidence({ selected: { ...evidence().selected!, dsr: 0.9 } }), DEFAULT_GATE);
    expect(low.promoted).toBe(false);
    expect(low.reason).toMatch(/deflated_information_ratio \(deflated information ratio of the active daily return 0\.9000 \(need >= 0\.95\)\)/);
    expect(decidePromotion(evidence({ selected: { ...evidence().selected!, finite: false } }), DEFAULT_GATE).reason).toMatch(/sanity_finite_values/);
  });

  it('the signal task decides on the long-short book over its baseline and over its static twin', () => {
    const sig = (lsP: number, twinP = lsP) => evidence({ task: 'signal', reference: 'flat', selected: { key: 'lightgbm', legs: [leg('long_short', 0.3, lsP), leg('twin', 0.1, twinP)], finite: true, dsr: 0.99, maxDrawdown: null } });
    const ok = decidePromotion(sig(0.01), DEFAULT_GATE);
    expect(ok.promoted).toBe(true);
    expect(ok.reason).toMatch(/lightgbm beats flat and its static twin \(p = 0\.010\)/);
    const d = decidePromotion(sig(0.2, 0.001), DEFAULT_GATE);
    expect(d.promoted).toBe(false);
    expect(d.reason).toMatch(/long_short_beats_baseline \(lightgbm long-short return over flat: \+30\.0%\/yr/);
    expect(d.checks.find((c) => c.name === 'beats_static_twin')!.passed).toBe(true);
    // A fixed lean toward some names: money over flat, none over its twin (its average weights held).
    const tilt = decidePromotion(sig(0.001, 0.6), DEFAULT_GATE);
    expect(tilt.promoted).toBe(false);
    expect(tilt.reason).toMatch(/beats_static_twin \(lightgbm net return over its static twin: \+10\.0%\/yr .*p = 0\.600/);
  });

  it("a challenger must also beat the champion's configuration; otherwise a still-proven champion is refreshed", () => {
    expect(decidePromotion(evidence({ champion: champion({ diff: 0.02, p: 0.01 }, 0.02) }), DEFAULT_GATE)).toMatchObject({ action: 'promote', promoted: true });
    const tie = decidePromotion(evidence({ champion: champion({ diff: 0.001, p: 0.45 }, 0.02) }), DEFAULT_GATE);
    expect(tie.action).toBe('refresh');
    expect(tie.reason).toMatch(/challenger refused: beats_champion .*p = 0\.450.*still beats sixty_forty and its static twin \(p = 0\.020\): refitted on the newest data/);
    const stale = decidePromotion(evidence({ champion: champion({ diff: 0.001, p: 0.45 }, 0.4) }), DEFAULT_GATE);
    expect(stale).toMatchObject({ action: 'keep', promoted: false });
    expect(stale.reason).toMatch(/Champion unchanged \(its configuration no longer beats sixty_forty and its static twin: p = 0\.400\)/);
  });

  it('the same configuration as the champion, still proving its value, is a refresh', () => {
    const d = decidePromotion(evidence({ champion: { ...champion(null, 0.01), key: 'random_forest', sameConfig: true } }), DEFAULT_GATE);
    expect(d.action).toBe('refresh');
    expect(d.reason).toMatch(/the champion's configuration \(random_forest\) still beats sixty_forty and its static twin/);
  });

  it('stress checks with too few days are inconclusive, never passed; a challenger surely worse on crash days is refused', () => {
    const withStress = (crash: ReturnType<typeof est> | null) => ({ ...champion({ diff: 0.03, p: 0.01 }, 0.02), vsChampion: { overall: est(0.03, 0.01), stress: { crash, recovery: est(0, 0.5, 180) } } });
    const few = decidePromotion(evidence({ champion: withStress(est(-0.5, 0.9, 20)) }), DEFAULT_GATE);
    const crash = few.checks.find((c) => c.name === 'stress_crash')!;
    expect(crash.passed).toBeNull();
    expect(crash.detail).toMatch(/inconclusive: 20 crash days \(need 50\)/);
    expect(few.action).toBe('promote');
    const worse = decidePromotion(evidence({ champion: withStress({ diff: -0.4, ci: [-0.7, -0.1], pValue: 0.99, n: 200 }) }), DEFAULT_GATE);
    expect(worse.checks.find((c) => c.name === 'stress_crash')!.passed).toBe(false);
    expect(worse.action).toBe('refresh'); // the challenger is refused; the champion's configuration stays (refitted)
    const noisy = decidePromotion(evidence({ champion: withStress({ diff: -0.4, ci: [-1.2, 0.3], pValue: 0.8, n: 200 }) }), DEFAULT_GATE);
    expect(noisy.checks.find((c) => c.name === 'stress_crash')!.passed).toBe(true); // worse on average, not surely
  });

  it('refuses a challenger whose strategy drawdown is worse beyond the tolerance', () => {
    const e = (dd: number) => evidence({ selected: { ...evidence().selected!, maxDrawdown: dd }, champion: champion({ diff: 0.02, p: 0.01 }, 0.01, { maxDrawdown: 0.1 }) });
    const d = decidePromotion(e(0.2), DEFAULT_GATE);
    expect(d.action).toBe('refresh');
    expect(d.reason).toMatch(/backtest_drawdown \(max drawdown 20\.0% vs champion 10\.0%/);
    expect(decidePromotion(e(0.14), DEFAULT_GATE).action).toBe('promote');
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
  it('with no champion anywhere, a run dated before the newest live decision still gets a lineage of its own (issue 24)', () => {
    const none = { ...base, liveEffectiveFrom: [null, null], liveDecidedAsOf: ['2026-02-13'] };
    expect(resolveLineage({ ...none, asOf: '2015-06-27' })).toBe('asof:wf-1');
    expect(resolveLineage({ ...none, asOf: '2026-02-13' })).toBe('live');
    expect(resolveLineage({ ...none, asOf: '2026-02-20' })).toBe('live');
    expect(resolveLineage({ ...none, liveDecidedAsOf: [null] })).toBe('live');
  });
});
