import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SIGNAL_SYMBOLS, MARKET_INPUT_SYMBOLS } from '../../../src/data/bars';
import { CsvFolderSource } from '../../../src/data/sources/csvFolder';
import { SyntheticMarketSource } from '../../../src/data/sources/syntheticMarket';
import { YahooChartSource } from '../../../src/data/sources/yahooChart';
import { checkSymbol, isValidSymbol, parseSymbolsArgument, parseUniverseFile, quoteUntrusted } from '../../../src/data/symbols';
import { resolveUniverse, runSymbols, runUniverse, signalSymbolsOf, universeSummary, universeSymbols } from '../../../src/data/universe';
import { datasetConfig } from '../../../src/datasets/config';
import { parseRunConfig } from '../../../src/pipeline/runConfig';

const HOSTILE = ['<img src=x onerror=alert(1)>', '..', '..x', '.hidden', 'a b', 'x/y', 'TOO_LONG_SYMBOL_NAME', 'A;DROP TABLE', "O'NEIL", ''];

describe('symbol names', () => {
  it('accepts tickers and refuses anything that could reach SQL, paths, HTML or logs', () => {
    for (const ok of ['SPY', 'BRK.B', 'BF-B', '^VIX', 'brk.b', 'S0001', 'A', 'X'.repeat(15)]) expect(isValidSymbol(ok)).toBe(true);
    for (const bad of [...HOSTILE, 'X'.repeat(16), '-A', 'A\n']) expect(isValidSymbol(bad)).toBe(false);
    expect(checkSymbol(' brk.b ', 'test')).toBe('BRK.B');
  });

  it('error messages quote a hostile name without any character HTML or a shell would act on', () => {
    const err = (() => {
      try {
        checkSymbol('<img src=x onerror=alert(1)>', '--symbols');
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })();
    expect(err).toMatch(/^--symbols: invalid symbol "\\u003cimg src\\u003dx onerror\\u003dalert\\u00281\\u0029\\u003e"/);
    expect(err).not.toMatch(/[<>]/);
    for (const h of HOSTILE) expect(quoteUntrusted(h)).not.toMatch(/[<>&'/;\n]|"(?!$)(?<!^")/);
  });

  it('parses --symbols lists, universe files (comments, blank lines) and all', async () => {
    expect(await parseSymbolsArgument('aapl, msft,AAPL', async () => '')).toEqual(['AAPL', 'MSFT']);
    expect(await parseSymbolsArgument('ALL', async () => '')).toBe('all');
    const file = '# my universe\nXOM\n\n  pg   # consumer staples\nBRK.B\n';
    expect(await parseSymbolsArgument('@u.txt', async (f) => (f === 'u.txt' ? file : ''))).toEqual(['XOM', 'PG', 'BRK.B']);
    expect(() => parseUniverseFile('XOM\n../../etc/passwd\n', 'u.txt')).toThrow(/^u\.txt, line 2: invalid symbol/);
    await expect(parseSymbolsArgument('@missing.txt', async () => Promise.reject(Object.assign(new Error('x'), { code: 'ENOENT' })))).rejects.toThrow(/cannot read the universe file: ENOENT/);
    await expect(parseSymbolsArgument('XOM,<b>', async () => '')).rejects.toThrow(/invalid symbol "\\u003cb\\u003e"/);
    expect(() => parseUniverseFile('# nothing\n', 'empty.txt')).toThrow(/lists no symbols/);
  });

  it('dataset.signal.symbols in a run config takes a list (validated, upper-cased) or "all"', () => {
    expect(datasetConfig({}).signal.symbols).toEqual(DEFAULT_SIGNAL_SYMBOLS);
    expect(datasetConfig({ signal: { symbols: ['xom', 'PG', 'XOM'] } }).signal.symbols).toEqual(['XOM', 'PG']);
    expect(datasetConfig({ signal: { symbols: 'all' } }).signal.symbols).toBe('all');
    expect(() => parseRunConfig({ asOf: '2024-01-05', config: { dataset: { signal: { symbols: ['XOM', '<script>'] } } } })).toThrow(/config\.dataset\.signal\.symbols\.1: invalid symbol/);
    expect(() => parseRunConfig({ asOf: '2024-01-05', config: { dataset: { signal: { symbols: [] } } } })).toThrow(/signal\.symbols/);
  });
});

describe('the run universe', () => {
  const folder = (names: string[]) => {
    const dir = mkdtempSync(join(tmpdir(), 'universe-'));
    for (const n of names) writeFileSync(join(dir, n), 'date,open,high,low,close,adj_close,volume\n');
    return dir;
  };

  it('an explicit list: the market inputs always, plus exactly the asked symbols', async () => {
    const u = await runUniverse({ source: { kind: 'csv', dir: '/nonexistent' }, config: { dataset: { signal: { symbols: ['XOM', 'PG'] } } } });
    expect(u.marketInputs).toEqual([...MARKET_INPUT_SYMBOLS, 'PCR']);
    expect(u.signalSymbols).toEqual(['XOM', 'PG']);
    expect(universeSymbols(u)).toEqual([...MARKET_INPUT_SYMBOLS, 'PCR', 'XOM', 'PG']);
  });

  it('all: every valid <SYMBOL>.csv but the market and VIX/PCR series; hostile file names are skipped, quoted', async () => {
    const dir = folder(['SPY.csv', 'TLT.csv', 'VIX.csv', 'PCR.csv', 'XLK.csv', 'xom.csv', 'BRK.B.csv', 'notes.txt', '<img src=x onerror=alert(1)>.csv', '..x.csv', 'a b.csv', 'WAY_TOO_LONG_A_NAME.csv']);
    const u = await runUniverse({ source: { kind: 'csv', dir }, config: { dataset: { signal: { symbols: 'all' } } } });
    expect(u.selection).toBe('all');
    expect(u.signalSymbols.sort()).toEqual(['BRK.B', 'XLK', 'XOM']);
    expect(u.skipped.map((s) => s.name).sort()).toEqual(['"\\u003cimg src\\u003dx onerror\\u003dalert\\u00281\\u0029\\u003e.csv"', '"..x.csv"', '"WAY_TOO_LONG_A_NAME.csv"', '"a b.csv"'].sort());
    expect(JSON.stringify(u)).not.toMatch(/[<>]/);
    // The CSV source itself refuses a bad name before it becomes a path.
    await expect(new CsvFolderSource(dir, 'csv').fetch({ symbols: ['../x'], until: '2024-01-01', lastStored: new Map() })).rejects.toThrow(/invalid symbol/);
  });

  it('all needs a source that can list: the synthetic market lists its stocks, the online feed cannot', async () => {
    const s = await resolveUniverse('all', new SyntheticMarketSource('synthetic-1', 1, undefined, 3));
    expect(s.signalSymbols).toEqual(['XLB', 'XLE', 'XLF', 'XLI', 'XLK', 'XLP', 'XLU', 'XLV', 'XLY', 'AAPL', 'MSFT', 'GOOGL', 'S0001', 'S0002', 'S0003']);
    await expect(resolveUniverse('all', new YahooChartSource('yahoo'))).rejects.toThrow(/"all" needs a source that can list/);
  });

  it('summarises size and first/last date per symbol; asked-for symbols without data are listed as absent', async () => {
    const u = await resolveUniverse(['XOM', 'PG', 'ZZZ'], new SyntheticMarketSource('s', 1));
    const s = universeSummary(u, { XOM: { rows: 10, first: '1962-01-02', last: '2020-12-31' }, PG: { rows: 5, first: '1970-01-02', last: '2001-06-29' }, SPY: { rows: 3, first: '1993-01-29', last: '2026-02-12' } });
    expect(s.size).toBe(2);
    expect(s.signal).toEqual([
      { symbol: 'XOM', rows: 10, first: '1962-01-02', last: '2020-12-31' },
      { symbol: 'PG', rows: 5, first: '1970-01-02', last: '2001-06-29' },
      { symbol: 'ZZZ', rows: 0, first: null, last: null },
    ]);
    expect(s.absent).toContain('ZZZ');
    expect(s.absent).toContain('TLT');
    expect(s.absent).not.toContain('PCR'); // optional: its proxy is used
  });

  it('the signal symbols among the loaded series', () => {
    expect(signalSymbolsOf(['XOM', 'PG', 'ZZZ'], ['SPY', 'PG', 'XOM'])).toEqual(['XOM', 'PG']);
    expect(signalSymbolsOf('all', ['SPY', 'TLT', 'VIX', 'PCR', 'XLK', 'XOM'])).toEqual(['XLK', 'XOM']);
  });
});

describe('an explicit symbol -> file map', () => {
  it('maps only to plain file names inside the folder', () => {
    expect(() => new CsvFolderSource('/data', 'csv', { VIX: 'vix-daily.csv' })).not.toThrow();
    expect(() => new CsvFolderSource('/data', 'csv', { VIX: '../../etc/passwd' })).toThrow(/source\.files\.VIX: "\.\.\\u002f\.\.\\u002fetc\\u002fpasswd" is not a plain file name/);
    expect(() => new CsvFolderSource('/data', 'csv', { '<b>': 'x.csv' })).toThrow(/source\.files: invalid symbol/);
  });
});

describe('--symbols into the run input', () => {
  it('sets dataset.signal.symbols, keeping the other --config overrides', async () => {
    const { withSignalSymbols } = await import('../../../src/cli/runInput');
    expect(withSignalSymbols(undefined, undefined)).toBeUndefined();
    expect(withSignalSymbols({ gate: { minImprovement: 0.01 }, dataset: { seed: 3, signal: { horizon: 10, symbols: ['OLD'] } } }, ['XOM', 'PG'])).toEqual({
      gate: { minImprovement: 0.01 },
      dataset: { seed: 3, signal: { horizon: 10, symbols: ['XOM', 'PG'] } },
    });
    expect(parseRunConfig({ asOf: '2024-01-05', config: withSignalSymbols(undefined, 'all') }).config.dataset.signal.symbols).toBe('all');
  });
});

describe('runSymbols (explicit lists, no source at hand)', () => {
  it('is the market inputs plus the list; "all" must be resolved by runUniverse', () => {
    expect(runSymbols({ signal: { symbols: ['XOM', 'SPY'] } })).toEqual([...MARKET_INPUT_SYMBOLS, 'PCR', 'XOM']);
    expect(() => runSymbols({ signal: { symbols: 'all' } })).toThrow(/call runUniverse/);
  });
});
