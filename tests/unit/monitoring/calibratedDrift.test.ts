import { beforeAll, describe, expect, it } from 'vitest';
import { SECTOR_SYMBOLS } from '../../../src/data/bars';
import { readMarket } from '../../../src/data/readMarket';
import { CsvFolderSource } from '../../../src/data/sources/csvFolder';
import { selectRanks } from '../../../src/evaluation/stats';
import { computeMarketFeatures, type FeatureMatrix } from '../../../src/features/marketFeatures';
import { buildPanel, type Panel } from '../../../src/features/panel';
import { computeSymbolFeatures } from '../../../src/features/signalFeatures';
import { calibratedDrift, calibratedMatrixDrift, DEFAULT_CALIBRATED_DRIFT } from '../../../src/monitoring/calibratedDrift';
import { replayDrift } from '../../../src/monitoring/driftReplay';
import { populationStabilityIndex, FIXED_PSI_RULE_OF_THUMB } from '../../../src/monitoring/psi';
import { Rng } from '../../../src/util/rng';
import { realDataDir } from '../../helpers/realData';

/** A persistent AR(1) feature (like VIX): 60-day windows of it are never distributed like its whole history. */
function ar1(n: number, phi: number, rng: Rng): Float64Array {
  const x = new Float64Array(n);
  for (let t = 1; t < n; t++) x[t] = phi * x[t - 1] + Math.sqrt(1 - phi * phi) * rng.normal();
  return x;
}
const days = (n: number) => Float64Array.from({ length: n }, (_, i) => i);

describe('order statistics', () => {
  it('selectRanks equals a full sort, with ties', () => {
    const rng = new Rng(1);
    const x = Float64Array.from({ length: 5000 }, () => Math.round(rng.normal() * 3) + 0);
    const sorted = Float64Array.from(x).sort();
    const ranks = [0, 17, 500, 2500, 2501, 4999];
    expect(Array.from(selectRanks(Float64Array.from(x), ranks)).map((v) => v + 0)).toEqual(ranks.map((r) => sorted[r] + 0));
  });
});

describe('calibrated drift (synthetic)', () => {
  it('on a persistent but stationary feature it fires at about 1 − percentile, where PSI > 0.25 fires most of the time', () => {
    let calibrated = 0;
    let fixed = 0;
    const sims = 200;
    for (let s = 0; s < sims; s++) {
      const x = ar1(3000, 0.98, new Rng(100 + s));
      const r = calibratedDrift('x', x, days(3000));
      expect(r.status).not.toBe('insufficient_history');
      if (r.flagged) calibrated++;
      if (populationStabilityIndex(x.subarray(0, 2940), x.subarray(2940)) > FIXED_PSI_RULE_OF_THUMB) fixed++;
    }
    expect(calibrated / sims).toBeLessThanOrEqual(0.04);
    expect(fixed / sims).toBeGreaterThan(0.5);
  });

  it('flags a recent window shifted by 2 sd or scaled by 3, and reports PSI, threshold and null percentile', () => {
    // A level around 5 (like a volume ratio or VIX / 4), persistent.
    const x = ar1(3000, 0.9, new Rng(7)).map((v) => 5 + v);
    const base = calibratedDrift('x', x, days(3000));
    expect(base.flagged).toBe(false);
    // The live PSI by hand: bins at the reference's 1%, 10%, …, 90%, 99% order statistics.
    const ref = Float64Array.from(x.subarray(0, 2940)).sort();
    const edges = [0.01, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.99].map((q) => ref[Math.floor(q * 2940)]);
    const share = (v: ArrayLike<number>) => {
      const c = new Array(edges.length + 1).fill(0);
      for (let i = 0; i < v.length; i++) c[edges.filter((e) => v[i] > e).length]++;
      return c.map((k) => Math.max(k / v.length, 1e-4));
    };
    const p = share(ref);
    const q = share(x.subarray(2940));
    expect(base.psi).toBeCloseTo(p.reduce((a, pk, k) => a + (q[k] - pk) * Math.log(q[k] / pk), 0), 12);
    expect(base.nullWindows).toBeGreaterThan(400);
    for (const change of [(v: number) => v + 2, (v: number) => v * 3]) {
      const y = Float64Array.from(x, (v, i) => (i >= 2940 ? change(v) : v));
      const r = calibratedDrift('x', y, days(3000));
      expect(r.flagged).toBe(true);
      expect(r.status).toBe('flagged');
      expect(r.psi).toBeGreaterThan(r.threshold);
      expect(r.nullPercentile).toBeGreaterThan(0.99);
    }
  });

  it('windows are days, not rows: several symbols per day', () => {
    const rng = new Rng(8);
    const D = 2000;
    const S = 5;
    const common = ar1(D, 0.95, rng);
    const v = new Float64Array(D * S);
    const d = new Float64Array(D * S);
    for (let t = 0; t < D; t++) for (let s = 0; s < S; s++) {
      v[t * S + s] = common[t] + 0.5 * rng.normal() + (t >= D - 60 ? 2 : 0);
      d[t * S + s] = t;
    }
    const r = calibratedDrift('x', v, d);
    expect(r.recentRows).toBe(60 * S);
    expect(r.flagged).toBe(true);
  });

  it('too little history is inconclusive, never a flag; bad input is an error', () => {
    const x = ar1(300, 0.9, new Rng(9)).map((v, i) => (i >= 240 ? v + 5 : v));
    const r = calibratedDrift('x', x, days(300));
    expect(r.status).toBe('insufficient_history');
    expect(r.flagged).toBe(false);
    expect(r.psi).toBeGreaterThan(1);
    expect(() => calibratedDrift('x', [1, 2, 3], [0, 2, 1])).toThrow(/calibratedDrift\(x\): rows must be time-ordered, day 1 at row 2 follows 2/);
    expect(() => calibratedMatrixDrift(['a', 'b'], new Float64Array(5), [0, 1, 2])).toThrow(/5 values for 3 rows x 2 features/);
  });
});

const MARKET = realDataDir('market');

/**
 * Weekly runs over the real history: one as-of every 4th week from 2005 to 2026, each seeing
 * only the rows up to it (reference = all history before its recent 60 days). Features: the
 * strategy task's 10 market features and one sector ETF's 30 signal features. `npm run
 * bench:drift` runs the same replay with the signal features pooled over all sector ETFs.
 */
describe.skipIf(!MARKET)('calibrated drift on the real corpus', () => {
  let panel: Panel;
  let market: FeatureMatrix;
  let xlk: FeatureMatrix;
  beforeAll(async () => {
    const read = await readMarket(new CsvFolderSource(MARKET!, 'csv'), { symbols: ['SPY', 'TLT', 'VIX', ...SECTOR_SYMBOLS], until: '2026-02-13' });
    panel = buildPanel(read.bars);
    market = computeMarketFeatures(panel);
    xlk = computeSymbolFeatures(panel, 'XLK');
  });

  it('each of 40 real features is flagged in at most 5% of weekly runs 2005–2026', () => {
    const n = panel.dates.length;
    const asOfs: number[] = [];
    for (let t = panel.dates.findIndex((d) => d >= '2005-01-01'); t < n; t += 20) asOfs.push(t);
    const day = days(n);
    const m = replayDrift(market.names, market.values, day, asOfs);
    const s = replayDrift(xlk.names, xlk.values, day, asOfs);
    const rates = { ...m.flagRate, ...Object.fromEntries(Object.entries(s.flagRate).map(([k, v]) => [`XLK:${k}`, v])) };
    const values = Object.values(rates);
    console.info(`calibrated drift, ${m.runs} weekly runs 2005–2026, flag rate per feature: ${Object.entries(rates).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${(v * 100).toFixed(1)}%`).join(', ')}; mean ${((values.reduce((a, b) => a + b, 0) / values.length) * 100).toFixed(2)}%`);
    expect(m.runs).toBeGreaterThan(250);
    expect(values).toHaveLength(40);
    for (const [k, v] of Object.entries(rates)) expect(v, k).toBeLessThanOrEqual(0.05);
    console.info(`flagged runs of spy_returns_5d: ${m.flaggedAt.spy_returns_5d.map((t) => panel.dates[t]).join(' ')}`);
  }, 300_000); // 266 replayed weeks over 40 features: slow on a loaded 2-core machine

  it('the fixed PSI threshold it replaces flags most features on the same data', () => {
    const n = panel.dates.length;
    const cols = market.names.length;
    const col = (j: number, from: number, to: number) => Array.from({ length: to - from }, (_, i) => market.values[(from + i) * cols + j]);
    let flagged = 0;
    let total = 0;
    for (const asOf of ['2010-06-30', '2015-06-30', '2019-06-28', '2024-06-28']) {
      const t = panel.dates.findIndex((d) => d >= asOf);
      for (let j = 0; j < cols; j++) {
        total++;
        if (populationStabilityIndex(col(j, 0, t - 59), col(j, t - 59, t + 1)) > FIXED_PSI_RULE_OF_THUMB) flagged++;
      }
    }
    expect(flagged / total).toBeGreaterThan(0.4);
    expect(n).toBeGreaterThan(8000);
  });

  it('a deliberately shifted recent window is flagged on real features', () => {
    const n = panel.dates.length;
    const cols = market.names.length;
    const j = market.names.indexOf('volume_ratio');
    const k = market.names.indexOf('spy_returns_20d');
    const x = Float64Array.from(market.values);
    const finite = Array.from({ length: n }, (_, t) => market.values[t * cols + k]).filter(Number.isFinite);
    const sd = Math.sqrt(finite.reduce((a, v) => a + v * v, 0) / finite.length - (finite.reduce((a, v) => a + v, 0) / finite.length) ** 2);
    for (let t = n - 60; t < n; t++) {
      x[t * cols + j] *= 3;
      x[t * cols + k] += 2 * sd;
    }
    const before = calibratedMatrixDrift(market.names, market.values, days(n), DEFAULT_CALIBRATED_DRIFT);
    const after = calibratedMatrixDrift(market.names, x, days(n), DEFAULT_CALIBRATED_DRIFT);
    expect(before[j].flagged || before[k].flagged).toBe(false);
    expect(after[j].flagged).toBe(true);
    expect(after[k].flagged).toBe(true);
    expect(after.filter((r) => r.flagged).map((r) => r.feature).sort()).toEqual(['spy_returns_20d', 'volume_ratio']);
  });
});
