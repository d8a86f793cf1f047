import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Bar } from '../../../src/data/bars';
import { checkMarket } from '../../../src/data/checkMarket';
import { parseDistributionsCsv, withDistributions } from '../../../src/data/distributions';
import { CsvFolderSource } from '../../../src/data/sources/csvFolder';
import { describeReturnCoverage, totalReturnLevels } from '../../../src/data/totalReturn';
import { resolveUniverse, universeSymbols } from '../../../src/data/universe';
import { backtestLegs } from '../../../src/datasets/backtestLegs';
import { buildPanel } from '../../../src/features/panel';
import { labelStrategies } from '../../../src/labels/strategyLabeler';
import { realDataDir } from '../../helpers/realData';

/** Business days from 2020-03-02 with these closes (no adj_close, like TLT.csv). */
function barsOf(closes: number[]): Bar[] {
  const out: Bar[] = [];
  const d = new Date('2020-03-02T00:00:00Z');
  for (const c of closes) {
    while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() + 1);
    out.push({ date: d.toISOString().slice(0, 10), open: c, high: c + 0.5, low: c - 0.5, close: c, adjClose: null, volume: 1000 });
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}

describe('distributions: a total-return leg from <SYMBOL>.dividends.csv (issue 24 item 1)', () => {
  // A bond fund whose price only moves on its ex-date, by the distribution: worth the same to a holder.
  const closes = Array.from({ length: 30 }, (_, i) => (i < 12 ? 100 : 99.7));
  const exDate = barsOf(closes)[12].date; // 2020-03-18

  it('an ex-date no longer lowers a label window\'s return: the cash reinvested at the ex-date close offsets the drop', () => {
    const tltBars = withDistributions(barsOf(closes), parseDistributionsCsv(`ex_date,amount\n${exDate},0.3\n`, 'TLT.dividends.csv'));
    const flat = barsOf(closes.map(() => 300));
    const label = (tlt: Bar[]) => {
      const panel = buildPanel(new Map([['SPY', flat], ['TLT', tlt]]));
      return labelStrategies(panel, { strategies: [{ name: 'bonds', spy: 0, tlt: 1, cash: 0 }, { name: 'cash', spy: 0, tlt: 0, cash: 1 }], horizon: 5, objective: 'return', lambda: 0, executionLag: 1 }, new Float64Array(30).fill(0));
    };
    // Day 8's window is days 10..14: it holds the ex-date (day 12).
    const before = label(barsOf(closes));
    expect(before.pnl[8 * 2]).toBeCloseTo(-0.003, 6); // price-only: the distribution reads as a 0.3% loss
    const after = label(tltBars);
    expect(after.pnl[8 * 2]).toBeCloseTo(0, 12);
    const legs = backtestLegs(new Map([['SPY', flat], ['TLT', tltBars]]), flat.map((b) => b.date), 5);
    expect(legs.tlt.returns[12]).toBeCloseTo(0, 12);
    expect(legs.tlt.priceOnly).toBe(true); // the record ends at its last ex-date ...
    expect(legs.tlt.coverage).toMatchObject({ basis: 'distributions', distributionsThrough: exDate, priceOnlyFrom: barsOf(closes)[13].date });
  });

  it('coverage: price-only after the last ex-date, said with dates; total return before it', () => {
    const bars = withDistributions(barsOf(closes), parseDistributionsCsv(`ex_date,amount\n${exDate},0.3\n`, 'TLT.dividends.csv'));
    const { coverage } = totalReturnLevels('TLT', bars);
    expect(describeReturnCoverage([coverage], { from: '2020-03-02', to: '2020-03-17' })).toEqual({
      priceOnly: false,
      sentence: `Returns 2020-03-02..2020-03-17 are total returns: TLT with its distributions reinvested at the ex-date close (recorded through ${exDate}). TLT is price-only from 2020-03-19 (after this window, to its last bar 2020-04-10).`,
    });
    expect(describeReturnCoverage([coverage], { from: '2020-03-02', to: '2020-04-10' }).sentence).toBe(
      `Price-only legs: TLT is price-only from 2020-03-19 to 2020-04-10 (its distribution record ends at ${exDate}): its return there leaves out what it paid.`,
    );
    const none = totalReturnLevels('TLT', barsOf(closes)).coverage;
    expect(describeReturnCoverage([none], { from: '2020-03-02', to: '2020-04-10' }).sentence).toMatch(/TLT is price-only from 2020-03-02 to 2020-04-10 \(no adj_close and no distribution record\)/);
  });

  it('bad records are refused naming file, row and field; an empty one like an empty price file', () => {
    const bars = barsOf(closes);
    const parse = (t: string) => () => withDistributions(bars, parseDistributionsCsv(t, 'X.dividends.csv'));
    expect(parse('date,amount\n2020-03-18,0.3')).toThrow(/X\.dividends\.csv, row 1, field "ex_date": expected header "ex_date,amount"/);
    expect(parse('ex_date,amount\n2020-03-18,abc')).toThrow(/X\.dividends\.csv, row 2, field "amount": "abc" is not a positive amount/);
    expect(parse('ex_date,amount\n2020-03-18,0.3\n2020-03-18,0.3')).toThrow(/row 3, field "ex_date": 2020-03-18 is not after/);
    expect(parse('ex_date,amount\n2020-03-21,0.3')).toThrow(/row 2, field "ex_date": 2020-03-21 is not a trading day in the price file/);
    expect(parse('ex_date,amount\n2020-03-18,150')).toThrow(/row 2, field "amount": 150 per share is not below the previous close 100/);
    expect(parse('ex_date,amount\n')).toThrow(/X\.dividends\.csv: has no data rows \(empty or header-only file\)/);
  });
});

const MARKET = realDataDir('market');
describe.skipIf(!MARKET)('the real TLT distributions', () => {
  let folder: CsvFolderSource;
  beforeAll(() => {
    folder = new CsvFolderSource(MARKET!, 'csv');
  });

  it('data validate --symbols all: TLT.dividends.csv is never a symbol, and TLT reads as total return', async () => {
    const universe = await resolveUniverse('all', folder);
    expect(universeSymbols(universe)).not.toContain('TLT.DIVIDENDS');
    expect(universe.skipped).toEqual([]);
    const c = await checkMarket(folder, { symbols: universeSymbols(universe), until: '2026-02-13' });
    expect(c.errors).toEqual([]);
    expect(c.bars.get('TLT')!.filter((b) => (b.dividend ?? 0) > 0).length).toBe(276);
  });

  it('reinvesting the 276 distributions reproduces Yahoo\'s adjusted-close factor; price-only from 2025-09-03', async () => {
    const [tlt] = await folder.fetch({ symbols: ['TLT'], until: '2030-01-01', lastStored: new Map() });
    const bars = tlt.bars.filter((b) => b.date <= '2025-09-26');
    const { level, coverage } = totalReturnLevels('TLT', bars);
    // The folder's README: 2.3909 reinvested on TLT.csv closes, Yahoo's Adj Close ratio 2.3908; price only 1.0905.
    expect(level[level.length - 1] / level[0]).toBeCloseTo(2.3909, 3);
    expect(bars[bars.length - 1].close / bars[0].close).toBeCloseTo(1.0905, 3);
    expect(coverage).toEqual({ symbol: 'TLT', basis: 'distributions', distributionsThrough: '2025-09-02', priceOnlyFrom: '2025-09-03', lastBar: '2025-09-26' });
  });
});

describe('a folder with a distribution record', () => {
  it('reads it with its symbol and lists only the symbol', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dist-'));
    const toCsv = (bars: Bar[]) => ['date,open,high,low,close,adj_close,volume', ...bars.map((b) => [b.date, b.open, b.high, b.low, b.close, '', b.volume].join(','))].join('\n');
    writeFileSync(join(dir, 'TLT.csv'), toCsv(barsOf([100, 100, 99.5, 99.5])));
    writeFileSync(join(dir, 'TLT.dividends.csv'), 'ex_date,amount\n2020-03-04,0.5\n');
    const src = new CsvFolderSource(dir, 'csv');
    expect((await src.listSymbols()).symbols).toEqual(['TLT']);
    const [b] = await src.fetch({ symbols: ['TLT'], until: '2030-01-01', lastStored: new Map() });
    expect(b.bars.map((x) => x.dividend)).toEqual([0, 0, 0.5, undefined]);
  });
});
