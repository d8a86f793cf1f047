import { describe, expect, it } from 'vitest';
import { REGIMES } from '../../../src/regimes/regimes';
import type { Comparison } from '../../../src/study/groupEvidence';
import { effectWord, pairedEstimate } from '../../../src/study/pairedEstimate';
import { studyVerdicts } from '../../../src/study/verdicts';

const est = (diff: number, lo: number, hi: number, n = 100) => ({ diff, ci95: [lo, hi] as [number, number], pValue: 0.04, n });
const comparison = (reference: string, e: ReturnType<typeof est>, crash = est(0.01, -0.02, 0.04, 30)): Comparison => ({
  reference,
  unit: 'annualised return',
  ...e,
  byRegime: Object.fromEntries(REGIMES.map((r) => [r, r === 'crash' ? crash : est(0, -1, 1)])) as Comparison['byRegime'],
  ic: null,
  macroF1: { ...est(0.012, -0.01, 0.034, 234), byRegime: Object.fromEntries(REGIMES.map((r) => [r, est(0.012, -0.01, 0.034, 234)])) as Comparison['byRegime'] },
});

describe('study evidence in words', () => {
  it('a paired estimate: percentile CI, two-sided p from the recentred replicates, identical arms give exactly nothing', () => {
    const reps = Float64Array.from({ length: 999 }, (_, k) => 0.01 + ((k - 499) / 499) * 0.005);
    const e = pairedEstimate(0.01, reps, 250, 252);
    expect(e.diff).toBeCloseTo(2.52, 10);
    expect(e.ci95[0]).toBeGreaterThan(0);
    expect(e.pValue).toBeLessThan(0.01);
    expect(effectWord(e)).toBe('helps');
    const wide = pairedEstimate(0.001, Float64Array.from({ length: 999 }, (_, k) => 0.001 + (k - 499) / 4990), 250);
    expect(effectWord(wide)).toBe('not shown to help');
    expect(wide.pValue).toBeGreaterThan(0.5);
    expect(pairedEstimate(0, new Float64Array(10), 5)).toEqual({ diff: 0, ci95: [0, 0], pValue: 1, n: 5 });
    expect(effectWord(pairedEstimate(-0.5, Float64Array.from({ length: 99 }, () => -0.5), 9))).toBe('hurts');
    expect(effectWord(pairedEstimate(NaN, [], 0))).toBe('not measurable');
  });

  it('verdicts read the CI only and name n; cadence verdicts are stated from weekly’s side', () => {
    const arms = [
      { name: 'weights', kind: 'training', vsReferences: [comparison('plain', est(0.004, 0.001, 0.007, 4537)), comparison('default', est(0.01, -0.1, 0.1))], fits: { trained: 20, reused: 0 } },
      { name: 'archive', kind: 'training', vsReferences: [comparison('plain', { diff: 0, ci95: [0, 0], pValue: 1, n: 4537 })], fits: { trained: 0, reused: 20 } },
      { name: 'cadence:quarterly', kind: 'cadence', vsReferences: [comparison('cadence:weekly', est(-0.004, -0.009, -0.001, 2542))], fits: { trained: 0, reused: 41 } },
      { name: 'policy:gated', kind: 'policy', vsReferences: [comparison('policy:baseline', { diff: 0, ci95: [0, 0], pValue: 1, n: 155 })], fits: { trained: 12, reused: 0 } },
    ];
    const v = studyVerdicts('strategy', arms);
    expect(v).toContain('policy:gated served exactly what policy:baseline served on all 155 days: no difference to measure');
    expect(v).toContain('Regime weights vs plain: net return +0.40%/yr (95% CI 0.10%..0.70%, p 0.040, n 4,537 days): helps');
    expect(v).toContain('Regime weights vs plain: crash macro-F1 +0.012 (95% CI −0.010..0.034, n 234): not shown to help');
    expect(v.some((x) => x.includes('vs default'))).toBe(false);
    expect(v).toContain("The crisis archive: every fit is the same as plain's on this task (20 of 20 fits reused): no effect to measure");
    expect(v).toContain('Weekly beats quarterly retraining by 0.40%/yr of net return (weekly minus quarterly: +0.40%/yr (95% CI 0.10%..0.90%, p 0.040, n 2,542 days)): weekly retraining is shown to pay');
  });
});
