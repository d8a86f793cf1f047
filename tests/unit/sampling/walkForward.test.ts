import { describe, expect, it } from 'vitest';
import { balancedSample } from '../../../src/sampling/balancedSampler';
import { innerSplit, planFolds } from '../../../src/sampling/folds';
import { uniquenessWeights } from '../../../src/sampling/uniqueness';
import { DEFAULT_TARGET_MIX } from '../../../src/regimes/regimes';
import { Rng } from '../../../src/util/rng';

const cfg = { lag: 1, horizon: 5, embargo: 5, minTrainDays: 756, foldDays: 504, holdoutDays: 252, trainWindowDays: null };

describe('purged walk-forward folds', () => {
  const plan = planFolds(100, 6000, cfg);

  it('purges and embargoes every training window against the window it is evaluated on', () => {
    expect(plan.gap).toBe(11);
    for (const f of [...plan.cv, plan.final]) {
      // A training row at day u is labelled from returns up to u + lag + horizon; with the embargo it ends before the test starts.
      expect(f.train.to + cfg.lag + cfg.horizon + cfg.embargo).toBeLessThan(f.test!.from);
      expect(f.train.from).toBe(100);
    }
  });

  it('tiles the history with fold-length test windows and leaves a final, report-only window of at least holdoutDays', () => {
    expect(plan.cv.length).toBe(Math.floor((6000 - 252 + 1 - (100 + 756 + 11)) / 504));
    plan.cv.forEach((f, i) => {
      expect(f.test!.to - f.test!.from + 1).toBe(504);
      if (i > 0) expect(f.test!.from).toBe(plan.cv[i - 1].test!.to + 1);
    });
    expect(plan.final.test!.from).toBe(plan.cv.at(-1)!.test!.to + 1);
    expect(plan.final.test!.to).toBe(6000);
    expect(plan.final.test!.to - plan.final.test!.from + 1).toBeGreaterThanOrEqual(252);
    expect(plan.refit).toMatchObject({ role: 'refit', train: { from: 100, to: 6000 }, test: null });
  });

  it('keeps the same folds week after week (anchored at the first usable day), so their results can be reused', () => {
    const nextWeek = planFolds(100, 6005, cfg);
    expect(nextWeek.cv).toEqual(plan.cv);
    expect(nextWeek.final.train).toEqual(plan.final.train);
    expect(nextWeek.final.test!.to).toBe(6005);
  });

  it('a rolling training window (drift re-run) keeps only the newest days', () => {
    const rolling = planFolds(100, 6000, { ...cfg, trainWindowDays: 500 });
    for (const f of rolling.cv) expect(f.train.to - f.train.from + 1).toBeLessThanOrEqual(500);
  });

  it('refuses a history too short for one fold, saying what it needs', () => {
    expect(() => planFolds(0, 1200, cfg)).toThrow(/not enough history for purged walk-forward evaluation: 1201 usable days/);
  });

  it('early stopping validates on the end of the training window, purged from the rows it fits on', () => {
    const s = innerSplit({ from: 0, to: 2000 }, 126, 11)!;
    expect(s.validation).toEqual({ from: 1875, to: 2000 });
    expect(s.fit.to + 11).toBeLessThan(s.validation.from);
    expect(innerSplit({ from: 0, to: 200 }, 126, 11)).toBeNull();
  });
});

describe('balanced sampler', () => {
  it('approaches the 20/40/20/10/10 target, oversampling rare regimes within the cap', () => {
    const rng = new Rng(2);
    const regimes = Array.from({ length: 5000 }, () => (rng.next() < 0.02 ? 3 : rng.next() < 0.5 ? 1 : [0, 2, 4][rng.int(3)]));
    const r = balancedSample(regimes, null, { targetMix: DEFAULT_TARGET_MIX, maxOversample: 5, seed: 1 });
    const share = (k: number) => r.mix[k].achieved;
    expect(share(1)).toBeCloseTo(0.4, 1);
    expect(share(3)).toBeGreaterThan(0.05);
    expect(r.mix[3].note).toMatch(/oversampled/);
  });

  it('archive rows are preferred but count against their regime quota (they never swamp the mix)', () => {
    const n = 4000;
    const regimes = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : 0));
    // Half of all rows are "archive" rows: without quotas they would be half the sample or more.
    const preferred = Array.from({ length: n }, (_, i) => i % 4 === 0 || i % 4 === 1);
    const r = balancedSample(regimes, preferred, { targetMix: { ...DEFAULT_TARGET_MIX, high_volatility: 0, crash: 0, recovery: 0 }, maxOversample: 5, seed: 3, size: 1000 });
    expect(r.indices.length).toBe(1000);
    const normal = Array.from(r.indices).filter((i) => regimes[i] === 1).length;
    expect(normal / 1000).toBeCloseTo(0.4 / 0.6, 2);
    // Every sampled row of each regime is an archive row first (preferred), and the share is reported.
    expect(r.archiveRows).toBe(1000);
    expect(r.archiveShare).toBe(1);
  });
});

describe('label uniqueness weights', () => {
  it('down-weights rows whose label windows overlap many others and keeps the mean at 1', () => {
    // Symbol 0: 20 consecutive days (overlapping 5-day windows); symbol 1: days 0, 10, 20 (no overlap).
    const t = [...Array.from({ length: 20 }, (_, i) => i), 0, 10, 20];
    const symbol = [...new Array(20).fill(0), 1, 1, 1];
    const rows = Int32Array.from(t, (_, i) => i);
    const w = uniquenessWeights(t, symbol, rows, 1, 5);
    expect(w.reduce((a, b) => a + b, 0) / w.length).toBeCloseTo(1, 12);
    // Isolated rows are fully unique; a mid-run row shares each day with 5 windows.
    expect(w[20]).toBeCloseTo(w[21], 12);
    expect(w[10] / w[20]).toBeCloseTo(1 / 5, 12);
    // The first row of a run overlaps fewer others than a middle one.
    expect(w[0]).toBeGreaterThan(w[10]);
  });
});
