import { beforeAll, describe, expect, it } from 'vitest';
import { createSource } from '../../../../src/data/sources';
import { type Dataset, rowsBetween } from '../../../../src/datasets/dataset';
import { datasetsFromSource } from '../../../../src/datasets/datasetFromSource';
import { datasetConfig } from '../../../../src/datasets/config';
import { DEFAULT_GATE, uniformityTest } from '../../../../src/evaluation/gate';
import { assessProtocol, type CandidateOos, decisionEvidence, protocolFolds, fromProba, icOos, longShortOos, longShortTwinOos, signalSeries, staticTwinIc } from '../../../../src/evaluation/protocol';
import { Rng } from '../../../../src/util/rng';

const config = datasetConfig({ signal: { symbols: ['XLK', 'XLF', 'XLE', 'XLV', 'XLU', 'AAPL', 'MSFT'] } });

/** A signal predictor with class probabilities `proba(row)` on every out-of-sample row of every fold. */
function candidate(ds: Dataset, key: string, proba: (row: number) => [number, number, number]): CandidateOos {
  const plan = protocolFolds(ds, config);
  const window = (from: number, to: number) => {
    const rows = rowsBetween(ds, from, to);
    const p = new Float64Array(rows.length * 3);
    rows.forEach((r, i) => p.set(proba(r), i * 3));
    return { rows, proba: p };
  };
  return { key, kind: key, hash: `c-${key}`, cv: plan.cv.map((f) => window(f.test!.from, f.test!.to)), final: window(plan.final.test!.from, plan.final.test!.to) };
}

const assess = (ds: Dataset, c: CandidateOos) =>
  assessProtocol(ds, protocolFolds(ds, config), [c], { gate: DEFAULT_GATE, dataset: config, backtest: { costBps: 0, execution: 'next_close' }, meta: null, championKey: null, championIncomparable: false, trials: [] });

describe("the signal gate's static twin: a fixed lean toward some names is not a signal", () => {
  let ds: Dataset;
  beforeAll(async () => {
    ds = (await datasetsFromSource(createSource({ kind: 'synthetic', seed: 8 }), { asOf: '2016-06-30', tasks: ['signal'], config })).datasets.signal!;
  }, 120_000);

  it("the twins hold the book's average weights and each symbol's average score; a constant book is its own twin", () => {
    const rows = rowsBetween(ds, ds.t[0], ds.t[ds.rows - 1]);
    const tilt = (r: number) => (ds.symbol[r] % 3) - 1;
    const proba = new Float64Array(rows.length * 3);
    rows.forEach((r, i) => proba.set(tilt(r) > 0 ? [0, 0.2, 0.8] : tilt(r) < 0 ? [0.7, 0.3, 0] : [0.1, 0.8, 0.1], i * 3));
    const oos = fromProba(rows, proba, 3);
    const own = icOos(ds, oos);
    const twin = staticTwinIc(ds, oos);
    expect(twin.days).toBe(own.days);
    twin.daily.forEach((d, k) => expect(d.ic).toBeCloseTo(own.daily[k].ic, 12));
    const book = longShortOos(ds, oos, 0);
    const twinBook = longShortTwinOos(ds, book, 0);
    expect(twinBook.length).toBe(book.returns.length);
    // Every symbol is listed on every day here, so the constant book and its twin earn the same.
    book.returns.forEach((r, k) => expect(twinBook[k]).toBeCloseTo(r, 12));
    // With costs, the twin pays once, to enter; the book pays that entry too, then nothing.
    const costly = longShortOos(ds, oos, 10);
    expect(longShortTwinOos(ds, costly, 10)[0]).toBeCloseTo(costly.returns[0], 12);
  });

  it('a hindsight lean toward the names that rose most earns money over flat, but not over its twin: refused', async () => {
    // Each symbol's mean forward return over the whole sample: a ranking known only in hindsight (survivorship).
    const sum = new Float64Array(ds.symbols.length);
    const count = new Float64Array(ds.symbols.length);
    for (let i = 0; i < ds.rows; i++) {
      if (!Number.isFinite(ds.pnl[i])) continue;
      sum[ds.symbol[i]] += ds.pnl[i];
      count[ds.symbol[i]]++;
    }
    const drift = Array.from(sum, (s, k) => s / count[k]);
    const middle = [...drift].sort((a, b) => a - b)[Math.floor(drift.length / 2)];
    const a = await assess(ds, candidate(ds, 'tilt', (r) => (drift[ds.symbol[r]] > middle ? [0.1, 0.2, 0.7] : [0.7, 0.2, 0.1])));
    const legs = a.document.candidates[0].value.comparisons;
    expect(legs.map((l) => l.name)).toEqual(['long_short', 'twin']);
    expect(legs.find((l) => l.name === 'long_short')!.diff).toBeGreaterThan(0);
    expect(legs.find((l) => l.name === 'twin')!.diff).toBeCloseTo(0, 10);
    expect(legs.find((l) => l.name === 'twin')!.pValue).toBe(1);
    expect(a.decision.promoted).toBe(false);
    expect(a.decision.reason).toMatch(/beats_static_twin \(tilt net return over its static twin: [+-]0\.0%\/yr .*p = 1\.000/);
  }, 120_000);

  it('a signal that knows the sign of the forward return on some days beats flat and its twin: promoted', async () => {
    const rng = new Rng(5);
    const a = await assess(
      ds,
      candidate(ds, 'timer', (r) => {
        if (rng.next() < 0.7) return [1 / 3, 1 / 3, 1 / 3];
        return ds.pnl[r] > 0 ? [0.1, 0.2, 0.7] : [0.7, 0.2, 0.1];
      }),
    );
    expect(a.decision.promoted).toBe(true);
    expect(a.decision.checks.find((c) => c.name === 'beats_static_twin')!.passed).toBe(true);
    expect(a.decision.reason).toMatch(/timer beats flat and its static twin/);
  }, 120_000);

  it("when the signal is independent of the future, both legs' p-values are uniform (the null on the boundary)", () => {
    const plan = protocolFolds(ds, config);
    const rows = Int32Array.from(plan.cv.flatMap((f) => Array.from(rowsBetween(ds, f.test!.from, f.test!.to))));
    const ps: Record<string, number[]> = { long_short: [], twin: [] };
    for (let trial = 0; trial < 100; trial++) {
      const rng = new Rng(2000 + trial);
      // Persistent random views per symbol (each keeps its class 90% of days), as real signals are.
      const view = Array.from(ds.symbols, () => rng.int(3));
      const proba = new Float64Array(rows.length * 3);
      rows.forEach((r, i) => {
        if (rng.next() < 0.1) view[ds.symbol[r]] = rng.int(3);
        proba[i * 3 + view[ds.symbol[r]]] = 1;
      });
      const series = signalSeries(ds, [{ cv: fromProba(rows, proba, 3) }], 0, { name: 'flat' });
      const ev = decisionEvidence(series, { pool: [0], champion: -1, resamples: 199, seed: trial, horizon: 2, trials: [], hashes: ['c'] });
      for (const c of ev.values[0].comparisons) ps[c.name].push(c.pValue);
    }
    for (const [leg, p] of Object.entries(ps)) {
      const share = p.filter((x) => x <= 0.05).length / p.length;
      expect(share, leg).toBeGreaterThanOrEqual(0.01);
      expect(share, leg).toBeLessThanOrEqual(0.11);
      expect(uniformityTest(p).pValue, leg).toBeGreaterThan(0.01);
    }
  }, 600_000);
});
