import { beforeAll, describe, expect, it } from 'vitest';
import { type Bar, DEFAULT_UNIVERSE } from '../../../src/data/bars';
import { readMarket } from '../../../src/data/readMarket';
import { CsvFolderSource } from '../../../src/data/sources/csvFolder';
import { rowsBetween, type Dataset } from '../../../src/datasets/dataset';
import { protocolFolds } from '../../../src/evaluation/protocol';
import { datasetsFromSource, type InMemoryBuild } from '../../../src/datasets/datasetFromSource';
import { buildDataset } from '../../../src/datasets/buildDataset';
import { datasetConfig } from '../../../src/datasets/config';
import { computeMarketFeatures } from '../../../src/features/marketFeatures';
import { buildPanel } from '../../../src/features/panel';
import { computeSymbolFeatures } from '../../../src/features/signalFeatures';
import { labelRegimes } from '../../../src/regimes/regimeLabeler';
import { REGIMES } from '../../../src/regimes/regimes';
import { realDataDir } from '../../helpers/realData';

/**
 * The real 30-year corpus (SPY, TLT, ^VIX, nine sector ETFs, three stocks), found by
 * tests/helpers/realData.ts. Read in place, never copied. Where it is absent the suite says so
 * and skips, except under CI, where it fails.
 */
const DIR = realDataDir('market');

describe.skipIf(!DIR)('real market data', () => {
  let build: InMemoryBuild;
  beforeAll(async () => {
    build = await datasetsFromSource(new CsvFolderSource(DIR!, 'csv'), { asOf: '2026-12-31', tasks: ['strategy', 'signal'] });
  });

  it('ingests every series, counting the known repairable problems instead of failing', () => {
    const m = build.market;
    expect([...m.bars.keys()].sort()).toEqual([...DEFAULT_UNIVERSE].sort());
    // ^VIX: ~47 early rows with open/close outside high-low, and no volume at all.
    expect(m.warningsBySymbol.VIX.openOutsideRange + m.warningsBySymbol.VIX.closeOutsideRange).toBeGreaterThanOrEqual(40);
    expect(m.warningsBySymbol.VIX.missingVolume).toBeGreaterThan(9000);
    const vix = m.bars.get('VIX')!.map((b) => b.close);
    expect(Math.min(...vix)).toBeGreaterThan(5);
    expect(Math.max(...vix)).toBeLessThan(100);
  });

  it('the strategy dataset\'s TLT leg is total return from TLT.dividends.csv, price-only from 2025-09-03 (issue 24)', () => {
    const ds = build.datasets.strategy!;
    expect(ds.marketNotes.coverage!.find((c) => c.symbol === 'TLT')).toMatchObject({ basis: 'distributions', distributionsThrough: '2025-09-02', priceOnlyFrom: '2025-09-03' });
    expect(ds.marketNotes.coverage!.find((c) => c.symbol === 'SPY')).toMatchObject({ basis: 'adjusted_close', priceOnlyFrom: null });
    // 2024-12-02 is an ex-date (0.325 $/share): the leg's return that day includes it.
    const t = ds.dates.indexOf('2024-12-02');
    const tlt = build.market.bars.get('TLT')!;
    const k = tlt.findIndex((b) => b.date === '2024-12-02');
    expect(tlt[k].dividend).toBeGreaterThan(0);
    expect(ds.market.tlt[t]).toBeCloseTo((tlt[k].close + tlt[k].dividend!) / tlt[k - 1].close - 1, 12);
  });

  it('labels October 2008 and March 2020 as crash, and every regime occurs', () => {
    const { dates, regime } = build.regimes;
    const share = (prefix: string, r: string) => {
      const idx = dates.map((d, i) => (d.startsWith(prefix) ? i : -1)).filter((i) => i >= 0);
      return idx.filter((i) => REGIMES[regime[i]] === r).length / idx.length;
    };
    expect(share('2008-10', 'crash')).toBeGreaterThan(0.5);
    expect(share('2020-03', 'crash')).toBeGreaterThan(0.5);
    for (let r = 0; r < REGIMES.length; r++) expect(Array.from(regime).filter((x) => x === r).length).toBeGreaterThan(50);
  });

  it('computes features from the past only: truncating the future changes no earlier feature', () => {
    const cut = '2015-06-30';
    const clipped = new Map<string, Bar[]>([...build.market.bars].map(([s, bars]) => [s, bars.filter((b) => b.date <= cut)]));
    const short = buildPanel(clipped);
    const n = short.dates.length;
    expect(build.panel.dates.slice(0, n)).toEqual(short.dates);
    const same = (a: Float64Array, b: Float64Array, cols: number) => {
      for (let i = 0; i < n * cols; i++) if (!Object.is(a[i], b[i]) && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return `row ${Math.floor(i / cols)} (${short.dates[Math.floor(i / cols)]}), column ${i % cols}: ${a[i]} vs ${b[i]}`;
      return 'same';
    };
    const mFull = computeMarketFeatures(build.panel);
    const mShort = computeMarketFeatures(short);
    expect(same(mFull.values, mShort.values, mFull.names.length)).toBe('same');
    for (const sym of ['XLK', 'AAPL', 'TLT']) {
      const f = computeSymbolFeatures(build.panel, sym);
      expect(same(f.values, computeSymbolFeatures(short, sym).values, f.names.length)).toBe('same');
    }
    // Regime labels of past days do not move either.
    const rShort = labelRegimes(short);
    expect(Array.from(build.regimes.regime.subarray(0, n))).toEqual(Array.from(rShort.regime));
  });

  it('walk-forward folds on the real history: purged, and crashes fall in windows of models trained before them', () => {
    for (const task of ['strategy', 'signal'] as const) {
      const ds = build.datasets[task]!;
      const plan = protocolFolds(ds, datasetConfig({}));
      for (const f of [...plan.cv, plan.final]) {
        const train = rowsBetween(ds, f.train.from, f.train.to);
        const lastLabelEnd = Math.max(...Array.from(train, (i) => ds.t[i] + ds.executionLag + ds.horizon));
        expect(lastLabelEnd).toBeLessThan(f.test!.from);
      }
      const crashRows = plan.cv.flatMap((f) => Array.from(rowsBetween(ds, f.test!.from, f.test!.to)).filter((i) => ds.regime[i] === 3));
      expect(crashRows.length).toBeGreaterThanOrEqual(50);
      expect(Array.from(ds.X).every(Number.isFinite)).toBe(true);
    }
  });

  it('strategy labels over a multi-day window: the risk-adjusted objective spreads labels that pure forward return piles on the extremes', () => {
    const counts = (d: Dataset) => {
      const c = new Array(d.classNames.length).fill(0);
      for (const y of d.y) c[y]++;
      return c.sort((a, b) => b - a);
    };
    // Over one session the drawdown penalty barely reorders allocations; over five it does.
    const byReturn = buildDataset(build.panel, build.regimes.regime, 'strategy', datasetConfig({ strategy: { objective: 'return', horizon: 5 } }));
    const riskAdj = buildDataset(build.panel, build.regimes.regime, 'strategy', datasetConfig({ strategy: { horizon: 5 } }));
    const top2 = (c: number[]) => (c[0] + c[1]) / c.reduce((a, b) => a + b, 0);
    expect(top2(counts(byReturn))).toBeGreaterThan(0.8);
    expect(top2(counts(riskAdj))).toBeLessThan(top2(counts(byReturn)));
    // The realised PnL of every kept strategy is stored with each row for the TRM's loss and regret.
    expect(riskAdj.classNames).toEqual(['ultra_defensive', 'defensive', 'balanced_safe', 'aggressive_growth', 'tactical_opportunity']);
    expect(riskAdj.pnl.length).toBe(riskAdj.rows * riskAdj.pnlCols);
  });

  it('reads only up to the as-of date', async () => {
    const m = await readMarket(new CsvFolderSource(DIR!, 'csv'), { symbols: ['SPY', 'TLT', 'VIX'], until: '2010-01-15' });
    for (const bars of m.bars.values()) expect(bars.at(-1)!.date <= '2010-01-15').toBe(true);
  });
});
