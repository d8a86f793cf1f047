import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SECTOR_SYMBOLS, type Bar } from '../../../src/data/bars';
import { readMarket, type MarketRead } from '../../../src/data/readMarket';
import { CsvFolderSource } from '../../../src/data/sources/csvFolder';
import { buildDataset } from '../../../src/datasets/buildDataset';
import { datasetConfig } from '../../../src/datasets/config';
import { datasetsFromSource } from '../../../src/datasets/datasetFromSource';
import { computeMarketFeatures, featureSources, gini, marketFeatureInputs, MARKET_FEATURE_NAMES } from '../../../src/features/marketFeatures';
import { buildPanel, type Panel } from '../../../src/features/panel';
import { rollingMean } from '../../../src/features/rolling';
import { labelRegimes } from '../../../src/regimes/regimeLabeler';
import { realDataDir } from '../../helpers/realData';

const CORPUS_DIR = realDataDir('market');

const AS_OF = '2026-02-13';
const col = (p: Panel, name: (typeof MARKET_FEATURE_NAMES)[number], values: Float64Array) => (t: number) => values[t * MARKET_FEATURE_NAMES.length + MARKET_FEATURE_NAMES.indexOf(name)];
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const clip = (m: Map<string, Bar[]>, edits: Record<string, (b: Bar) => boolean>) => new Map([...m].map(([s, bars]) => [s, edits[s] ? bars.filter(edits[s]) : bars]));
const dollarVolumeGini = (p: Panel, members: string[], t: number) =>
  gini(members.map((s) => rollingMean(Float64Array.from(p.close.get(s)!, (c, i) => c * p.volume.get(s)![i]), 20)[t]));

describe.skipIf(!CORPUS_DIR)('real corpus: stale series and the fixed cross-section', () => {
  let market: MarketRead;
  beforeAll(async () => {
    market = await readMarket(new CsvFolderSource(CORPUS_DIR!, 'csv'), { symbols: ['SPY', 'TLT', 'VIX', ...SECTOR_SYMBOLS, 'AAPL', 'MSFT', 'GOOGL', 'PCR'], until: AS_OF });
  });

  it('TLT stopping six weeks early: missing after 5 trading days, a named warning, and no strategy row past it', () => {
    const tltEnd = '2025-12-31';
    const panel = buildPanel(clip(market.bars, { TLT: (b) => b.date <= tltEnd }));
    const k = panel.dates.indexOf(tltEnd);
    const tlt = panel.price.get('TLT')!;
    expect(Number.isFinite(tlt[k + 5])).toBe(true);
    expect(tlt.subarray(k + 6).every(Number.isNaN)).toBe(true);
    expect(panel.warnings.map((w) => w.message)).toEqual([`required series end on different dates: SPY 2026-02-12, TLT ${tltEnd}, VIX 2026-02-13; TLT is missing (NaN) from ${panel.dates[k + 6]} (maxStaleDays 5); VIX after 2026-02-12 is not used (the calendar is SPY's)`]);
    const ds = buildDataset(panel, labelRegimes(panel).regime, 'strategy', datasetConfig());
    // Labels need a real TLT bar at the end of their window (lag + h days ahead), never the fill
    // (issue 24): the last labelled day is k - (lag + h), whose window ends on TLT's last bar.
    expect(ds.dates[ds.t[ds.rows - 1]]).toBe(panel.dates[k - (ds.executionLag + ds.horizon)]);
  });

  it('the Gini is over the run\'s fixed cross-section (9 sectors at as-of), on every day, before and after AAPL/MSFT/GOOGL end', () => {
    const panel = buildPanel(market.bars);
    const inputs = marketFeatureInputs(panel);
    expect(inputs.crossSection).toEqual([...SECTOR_SYMBOLS]);
    expect(inputs.excluded).toEqual([]);
    const f = computeMarketFeatures(panel, inputs);
    const g = col(panel, 'gini_coefficient', f.values);
    for (const d of ['2005-06-01', '2015-03-02', '2020-12-10', '2020-12-14', '2025-06-02']) {
      const t = panel.dates.indexOf(d);
      expect(g(t)).toBeCloseTo(dollarVolumeGini(panel, [...SECTOR_SYMBOLS], t), 12);
    }
    // No break when the stocks stop: the six months around 2020-12-11 have the same level.
    const cut = panel.dates.indexOf('2020-12-11');
    const before = mean(Array.from({ length: 120 }, (_, i) => g(cut - 120 + i)));
    const after = mean(Array.from({ length: 120 }, (_, i) => g(cut + 10 + i)));
    expect(Math.abs(after - before)).toBeLessThan(0.05);
    // Before, the Gini pooled whatever names had data that day: 12 names before, 9 after.
    const t2019 = panel.dates.indexOf('2019-06-03');
    expect(dollarVolumeGini(panel, [...SECTOR_SYMBOLS, 'AAPL', 'MSFT', 'GOOGL'], t2019) - g(t2019)).toBeGreaterThan(0.2);
  });

  it('a sector that stops before as-of leaves the cross-section for the whole run, and the run says so', () => {
    const panel = buildPanel(clip(market.bars, { XLK: (b) => b.date <= '2020-06-30' }));
    const inputs = marketFeatureInputs(panel);
    expect(inputs.crossSection).not.toContain('XLK');
    expect(inputs.excluded).toEqual([{ symbol: 'XLK', last: '2020-06-30' }]);
    expect(panel.warnings.map((w) => w.message)).toContain(`XLK has no bar for more than 5 trading days: missing from ${panel.dates[panel.dates.indexOf('2020-06-30') + 6]} to 2026-02-12`);
    const f = computeMarketFeatures(panel, inputs);
    const t = panel.dates.indexOf('2015-03-02');
    const eight = SECTOR_SYMBOLS.filter((s) => s !== 'XLK');
    expect(col(panel, 'gini_coefficient', f.values)(t)).toBeCloseTo(dollarVolumeGini(panel, eight, t), 12);
    expect(featureSources(inputs).gini_coefficient).toBe(`proxy: market concentration as the Gini of 20-day mean dollar volume over 8 sector ETFs fresh at 2026-02-12 (${eight.join(', ')})`);
  });

  it('put_call_ratio: the proxy throughout unless a PCR series covers the whole window; never spliced', () => {
    const base = buildPanel(market.bars);
    const proxy = computeMarketFeatures(base);
    const pcr = (from: string): Bar[] => market.bars.get('SPY')!.filter((b) => b.date >= from).map((b) => ({ ...b, open: 0.9, high: 0.9, low: 0.9, close: 0.9, adjClose: null, volume: null }));
    // A PCR series from 2010 only: the window (the whole panel) is not covered -> proxy everywhere.
    const late = buildPanel(new Map([...market.bars, ['PCR', pcr('2010-01-04')]]));
    const lateInputs = marketFeatureInputs(late);
    expect(lateInputs.putCall).toBe('proxy');
    const lateF = computeMarketFeatures(late, lateInputs);
    const pc = (v: Float64Array, t: number) => col(base, 'put_call_ratio', v)(t);
    const t2015 = late.dates.indexOf('2015-03-02');
    expect(pc(lateF.values, t2015)).toBe(pc(proxy.values, t2015));
    expect(featureSources(lateInputs).put_call_ratio).toMatch(/^proxy: VIX \/ SPY 20-day realised volatility .* no PCR series covering 1993-01-29\.\.2026-02-12$/);
    // Over a window the series covers, the real series is used on every day.
    const windowed = marketFeatureInputs(late, { from: '2012-01-03', to: '2026-02-12' });
    expect(windowed.putCall).toBe('real');
    expect(pc(computeMarketFeatures(late, windowed).values, t2015)).toBe(0.9);
    expect(featureSources(windowed).put_call_ratio).toBe('real: the PCR series (covers 2012-01-03..2026-02-12)');
    const src = featureSources(marketFeatureInputs(base));
    expect(src.signal_quality_score).toMatch(/^proxy: /);
    expect(src.vix_level).toBe('real');
    expect(src.ret_20d).toBe('real');
  });

  it('--symbols names the signal universe: five stocks under other names train on exactly those five', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'five-'));
    for (const s of ['SPY', 'TLT', 'VIX', ...SECTOR_SYMBOLS]) symlinkSync(join(CORPUS_DIR!, `${s}.csv`), join(dir, `${s}.csv`));
    // Other names for real files (read in place through links; nothing is copied).
    const five: Record<string, string> = { XOM: 'AAPL', PG: 'MSFT', KO: 'GOOGL', JNJ: 'XLP', IBM: 'XLK' };
    for (const [name, real] of Object.entries(five)) symlinkSync(join(CORPUS_DIR!, `${real}.csv`), join(dir, `${name}.csv`));
    const b = await datasetsFromSource(new CsvFolderSource(dir, 'csv'), { asOf: '2019-12-31', tasks: ['signal'], config: { signal: { symbols: ['XOM', 'PG', 'KO', 'JNJ', 'IBM'] } } });
    const ds = b.datasets.signal!;
    expect(ds.symbols).toEqual(['XOM', 'PG', 'KO', 'JNJ', 'IBM']);
    expect(new Set(ds.symbol).size).toBe(5);
    expect([...b.market.bars.keys()].sort()).toEqual(['IBM', 'JNJ', 'KO', 'PG', 'SPY', 'TLT', 'VIX', 'XOM', ...SECTOR_SYMBOLS].sort());
    const all = await datasetsFromSource(new CsvFolderSource(dir, 'csv'), { asOf: '2019-12-31', tasks: ['signal'], config: { signal: { symbols: 'all' } } });
    expect([...all.datasets.signal!.symbols].sort()).toEqual(['IBM', 'JNJ', 'KO', 'PG', 'XOM', ...SECTOR_SYMBOLS].sort());
  });
});
