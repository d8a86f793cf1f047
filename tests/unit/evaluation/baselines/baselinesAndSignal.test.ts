import { describe, expect, it } from 'vitest';
import { classFrequencies, classPriorGuess, labelPersistence, majorityClass } from '../../../../src/evaluation/baselines';
import { averageRanks, buySellScore, dailyLongShort, informationCoefficient } from '../../../../src/evaluation/metrics';
import { Rng } from '../../../../src/util/rng';
import type { Dataset } from '../../../../src/datasets/dataset';
import { longShortOos } from '../../../../src/evaluation/protocol';

describe('baselines', () => {
  const train = [0, 0, 0, 1, 2, 2, 0, 1, 0, 2]; // 5/10, 2/10, 3/10

  it('class-prior guess draws classes with the training frequencies and reports them as probabilities', () => {
    const b = classPriorGuess(train, 3, 30_000, new Rng(1));
    const share = (k: number) => b.pred.filter((p) => p === k).length / 30_000;
    expect(share(0)).toBeCloseTo(0.5, 1);
    expect(Math.abs(share(1) - 0.2)).toBeLessThan(0.01);
    expect(Math.abs(share(2) - 0.3)).toBeLessThan(0.01);
    expect(Array.from(b.proba!.subarray(3, 6))).toEqual([0.5, 0.2, 0.3]);
    expect(Array.from(classPriorGuess(train, 3, 50, new Rng(1)).pred)).toEqual(Array.from(b.pred.subarray(0, 50)));
    expect(Array.from(classFrequencies([0, 1], 2, [3, 1]))).toEqual([0.75, 0.25]);
    expect(() => classFrequencies([0, 5], 3)).toThrow(/label 5 at row 1 is outside 0..2/);
  });

  it('majority class', () => {
    const b = majorityClass(train, 3, 4);
    expect(Array.from(b.pred)).toEqual([0, 0, 0, 0]);
    expect(b.proba![1]).toBe(0.2);
  });

  it('label persistence uses the label of t − horizon, the newest one already realised', () => {
    // Symbol 7: labels on days 0..9 = day % 3; day 6 has no label. Symbol 8: only day 0.
    const hist = { day: [] as number[], symbol: [] as number[], label: [] as number[] };
    const add = (day: number, symbol: number, label: number) => {
      hist.day.push(day);
      hist.symbol.push(symbol);
      hist.label.push(label);
    };
    for (let d = 0; d < 10; d++) if (d !== 6) add(d, 7, d % 3);
    add(0, 8, 1);
    const target = { day: [2, 5, 9, 8, 9, 4], symbol: [7, 7, 7, 7, 8, 9] };
    const b = labelPersistence(target, hist, 3, 2);
    // day 2: nothing at <= −1 -> fallback 2; day 5 -> day 2 (label 2); day 9 -> day 6 missing -> day 5 (2);
    // day 8 -> day 5 (2); symbol 8 at day 9 -> day 0 (1); unknown symbol 9 -> fallback.
    expect(Array.from(b.pred)).toEqual([2, 2, 2, 2, 1, 2]);
    expect(b.fallbackRows).toBe(2);
    expect(b.proba).toBeNull();
  });

  it('does not leak: on a random walk it is a coin flip, where y[t−1] would look skilled', () => {
    const rng = new Rng(2);
    const n = 20_000;
    const h = 5;
    const p = [0];
    for (let t = 1; t < n + h; t++) p.push(p[t - 1] + rng.normal());
    const y = Array.from({ length: n }, (_, t) => (p[t + h] > p[t] ? 1 : 0));
    const days = y.map((_, t) => t);
    const sym = y.map(() => 0);
    const honest = labelPersistence({ day: days, symbol: sym }, { day: days, symbol: sym, label: y }, h, 0);
    const acc = (pred: ArrayLike<number>) => y.filter((v, t) => t >= h && v === pred[t]).length / (n - h);
    expect(acc(honest.pred)).toBeGreaterThan(0.48);
    expect(acc(honest.pred)).toBeLessThan(0.52);
    const leaky = y.map((_, t) => (t > 0 ? y[t - 1] : 0));
    expect(acc(leaky)).toBeGreaterThan(0.7);
  });
});

describe('signal metrics', () => {
  it('score = P(buy) − P(sell)', () => {
    expect(Array.from(buySellScore(Float64Array.from([0.2, 0.5, 0.3, 0.6, 0.3, 0.1]), 3)).map((v) => +v.toFixed(12))).toEqual([0.1, -0.5]);
  });

  it('IC and rank IC by hand; days with fewer than 3 symbols are left out', () => {
    expect(averageRanks([3, 1, 3, 2])).toEqual([3.5, 1, 3.5, 2]);
    const rows = {
      day: [1, 1, 1, 2, 2, 2, 3, 3],
      score: [1, 2, 3, 1, 2, 3, 1, 2],
      forwardReturn: [0.1, 0.3, 0.2, 0.1, 0.2, 0.9, 0.5, 0.1],
    };
    const ic = informationCoefficient(rows, { horizon: 1 });
    expect(ic.days).toBe(2);
    expect(ic.daily[0].ic).toBeCloseTo(0.5, 12);
    expect(ic.daily[0].rankIc).toBeCloseTo(0.5, 12);
    expect(ic.daily[1].ic).toBeCloseTo(0.8 / Math.sqrt(2 * 0.38), 12);
    expect(ic.daily[1].rankIc).toBeCloseTo(1, 12);
    expect(ic.ic.mean).toBeCloseTo((0.5 + 0.8 / Math.sqrt(0.76)) / 2, 12);
  });

  it('recovers a planted correlation, and a random score has no significant IC', () => {
    const rng = new Rng(3);
    const rows = { day: [] as number[], score: [] as number[], noise: [] as number[], forwardReturn: [] as number[] };
    for (let d = 0; d < 1000; d++)
      for (let s = 0; s < 12; s++) {
        const r = rng.normal();
        rows.day.push(d);
        rows.forwardReturn.push(r);
        rows.score.push(0.3 * r + Math.sqrt(1 - 0.09) * rng.normal());
        rows.noise.push(rng.normal());
      }
    const ic = informationCoefficient(rows, { horizon: 5 });
    expect(ic.days).toBe(1000);
    expect(ic.ic.mean).toBeGreaterThan(0.25);
    expect(ic.ic.mean).toBeLessThan(0.33);
    expect(ic.rankIc.tStat).toBeGreaterThan(10);
    const none = informationCoefficient({ day: rows.day, score: rows.noise, forwardReturn: rows.forwardReturn }, { horizon: 5 });
    expect(Math.abs(none.ic.tStat)).toBeLessThan(3);
    expect(none.ic.ci95[0]).toBeLessThan(0);
    expect(none.ic.ci95[1]).toBeGreaterThan(0);
  });

  it('long-short: a call at close t earns day t+lag+1 onward for the held sessions, flat when a side is empty, costs on traded notional', () => {
    // 3 symbols, returns on calendar days 0..5.
    const R = [
      [0, 0.01, 0.02, 0.03, 0.04, 0.05],
      [0, -0.01, -0.02, -0.03, -0.04, -0.05],
      [0, 0.1, 0.1, 0.1, 0.1, 0.1],
    ];
    const rows = { day: [0, 0, 0, 1, 1, 2, 2], symbol: [0, 1, 2, 0, 2, 0, 1], prediction: [2, 0, 1, 2, 2, 0, 2] };
    const ls = dailyLongShort(rows, R, { buy: 2, sell: 0, costBps: 10, lag: 1, hold: 1 });
    expect(Array.from(ls.day)).toEqual([2, 3, 4]);
    // day 2: long 0, short 1 -> 0.02 − (−0.02) = 0.04, traded 2; day 3: no shorts -> flat, traded 2;
    // day 4: long 1, short 0 -> −0.04 − 0.04 = −0.08, traded 2.
    expect(ls.returns[0]).toBeCloseTo(0.04 - 0.002, 12);
    expect(ls.returns[1]).toBeCloseTo(-0.002, 12);
    expect(ls.returns[2]).toBeCloseTo(-0.08 - 0.002, 12);
    expect(ls.flatDays).toBe(1);
    expect(ls.turnover).toBeCloseTo(2, 12);
    // The configured lag and the label's horizon: executed two sessions later, held as two half tranches.
    const held = dailyLongShort(rows, R, { buy: 2, sell: 0, costBps: 10, lag: 2, hold: 2 });
    expect(Array.from(held.day)).toEqual([3, 4, 5]);
    // day 3: half of day 0's book (long 0, short 1); day 4: the same half plus day 1's flat half; day 5: half of day 2's (long 1, short 0).
    expect(held.returns[0]).toBeCloseTo(0.5 * 0.03 + 0.5 * 0.03 - 0.001, 12);
    expect(held.returns[1]).toBeCloseTo(0.5 * 0.04 + 0.5 * 0.04, 12);
    expect(held.returns[2]).toBeCloseTo(-0.5 * 0.05 - 0.5 * 0.05 - 0.002, 12);
    expect(held.turnover).toBeCloseTo(1, 12);
    expect(() => dailyLongShort(rows, R, { buy: 2, sell: 0, lag: 1, hold: 0 })).toThrow(/hold must be a positive integer/);
  });

  it('long-short: knowing day t+1 returns at close t is worthless once execution waits a day', () => {
    const rng = new Rng(4);
    const S = 10;
    const T = 3000;
    const R = Array.from({ length: S }, () => Float64Array.from({ length: T }, () => 0.01 * rng.normal()));
    const rows = { day: [] as number[], symbol: [] as number[], prediction: [] as number[] };
    for (let t = 0; t + 1 < T; t++) {
      const next = R.map((r) => r[t + 1]);
      const sorted = [...next].sort((a, b) => a - b);
      for (let s = 0; s < S; s++) {
        rows.day.push(t);
        rows.symbol.push(s);
        rows.prediction.push(next[s] >= sorted[7] ? 2 : next[s] <= sorted[2] ? 0 : 1);
      }
    }
    const ls = dailyLongShort(rows, R, { buy: 2, sell: 0, lag: 1, hold: 1 });
    expect(Math.abs(ls.sharpe)).toBeLessThan(0.7);
    // The same peek one day further ahead would be worth a fortune: the lag is what removes it.
    const peek = { ...rows, day: rows.day.map((t) => t - 1) };
    expect(dailyLongShort(peek, R, { buy: 2, sell: 0, lag: 1, hold: 1 }).sharpe).toBeGreaterThan(20);
    // So would executing at the close it decided on (lag 0).
    expect(dailyLongShort(rows, R, { buy: 2, sell: 0, lag: 0, hold: 1 }).sharpe).toBeGreaterThan(20);
  });
});

describe('the signal long-short trades at the configured execution lag (issue 24 item 5)', () => {
  it('longShortOos passes the dataset\'s executionLag and horizon: a lag of 3 executes three sessions after the decision, not two', () => {
    // Two symbols, 12 days; one decision on day 2: long symbol 0, short symbol 1.
    const n = 12;
    const R = [Float64Array.from({ length: n }, (_, d) => d / 100), Float64Array.from({ length: n }, () => 0)];
    const ds = { dates: Array.from({ length: n }, (_, d) => `2020-01-${String(d + 1).padStart(2, '0')}`), symbols: ['A', 'B'], symbolReturns: Float64Array.from([...R[0], ...R[1]]), t: Int32Array.from([2, 2]), symbol: Int16Array.from([0, 1]), executionLag: 3, horizon: 2 } as unknown as Dataset;
    const oos = { rows: Int32Array.from([0, 1]), pred: Int32Array.from([2, 0]), proba: null };
    const ls = longShortOos(ds, oos, 0);
    // Held on return days t+lag+1 .. t+lag+h = 6 and 7, as half tranches (1/h of the capital).
    expect(Array.from(ls.day)).toEqual([6, 7]);
    expect(ls.returns[0]).toBeCloseTo(0.5 * 0.06, 12);
    expect(Array.from(longShortOos({ ...ds, executionLag: 1 } as Dataset, oos, 0).day)).toEqual([4, 5]);
  });
});
