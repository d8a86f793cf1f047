import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { MARKET_INPUT_SYMBOLS, type Bar } from '../../../src/data/bars';
import { SyntheticMarketSource } from '../../../src/data/sources/syntheticMarket';
import { configFromFlags } from '../../../src/cli/configFlags';
import { datasetFor, protocolOptions, runConfigFrom } from '../../../src/cli/evaluateCommand';
import { withSourceOptions } from '../../../src/cli/sourceOption';

const HEADER = 'date,open,high,low,close,adj_close,volume';
const toCsv = (bars: Bar[]) => [HEADER, ...bars.map((b) => [b.date, b.open ?? '', b.high, b.low, b.close, b.adjClose ?? '', b.volume ?? ''].join(','))].join('\n');

describe('every command that reads a source takes --on-bad-row and honours `ingest` in --config the same way (issue 24 item 7)', () => {
  let dir: string;
  beforeAll(async () => {
    // A universe whose one stock has a row with high < low (row 6 of XOM.csv).
    dir = mkdtempSync(join(tmpdir(), 'badrow-'));
    const symbols = [...MARKET_INPUT_SYMBOLS, 'AAPL'];
    const batches = await new SyntheticMarketSource('synthetic-3', 3).fetch({ symbols, until: '2008-12-31', lastStored: new Map() });
    for (const b of batches) {
      const bars = b.bars.map((x, i) => (b.symbol === 'AAPL' && i === 4 ? { ...x, high: x.low * 0.98 } : x));
      writeFileSync(join(dir, `${b.symbol === 'AAPL' ? 'XOM' : b.symbol}.csv`), toCsv(bars));
    }
  });

  it('one flags -> overrides path: --on-bad-row and --symbols laid over --config, the flag winning', async () => {
    expect(await configFromFlags({ onBadRow: 'quarantine' })).toEqual({ ingest: { onBadRow: 'quarantine' } });
    expect(await configFromFlags({ config: '{"ingest":{"onBadRow":"reject","maxDailyMove":{"fund":0.3}},"gate":{"alpha":0.01}}', onBadRow: 'quarantine', symbols: 'XOM' })).toEqual({
      ingest: { onBadRow: 'quarantine', maxDailyMove: { fund: 0.3 } },
      gate: { alpha: 0.01 },
      dataset: { signal: { symbols: ['XOM'] } },
    });
    expect(await configFromFlags({})).toBeUndefined();
    await expect(configFromFlags({ onBadRow: 'skip' })).rejects.toThrow(/--on-bad-row must be reject or quarantine, got "skip"/);
    await expect(configFromFlags({ config: '{oops' })).rejects.toThrow(/--config is not valid JSON/);
  });

  it('--config refuses a key the run config does not know, naming its path (a typo used to leave the default in force)', async () => {
    await expect(configFromFlags({ config: '{"gate":{"alhpa":0.01}}' })).rejects.toThrow(/--config has unknown key "gate\.alhpa"/);
    await expect(configFromFlags({ config: '{"datset":{},"dataset":{"split":{"embargo":5,"purge":3}}}' })).rejects.toThrow(/unknown keys "datset", "dataset\.split\.purge"/);
    await expect(configFromFlags({ config: '{"dataset":{"strategy":{"strategies":[{"name":"a","spy":1,"tlt":0,"cash":0,"bonds":0}]}}}' })).rejects.toThrow(/"dataset\.strategy\.strategies\.0\.bonds"/);
    await expect(configFromFlags({ config: '{"gate":{"toString":1},"constructor":2}' })).rejects.toThrow(/"gate\.toString", "constructor"/); // not an inherited name
    // Records take any key; every documented section passes.
    const ok = { modelParams: { random_forest: { nTrees: 5 }, anything: {} }, ingest: { onBadRow: 'quarantine', maxDailyMove: { bySymbol: { XOM: 0.5 } } }, gate: { alpha: 0.01, signalBaseline: 'flat' }, dataset: { seed: 1, regimeThresholds: { crashVix: 40 }, signal: { symbols: 'all', thresholds: { k: 1 } }, split: { embargo: 3 } }, drift: { recentDays: 20 }, replay: { enabled: false }, backtest: { costBps: 2 }, checkpointSeconds: 5 };
    expect(await configFromFlags({ config: JSON.stringify(ok) })).toEqual(ok);
    expect(await configFromFlags({ config: '{"dataset":{"signal":{"symbols":["AAPL","MSFT"]}}}' })).toEqual({ dataset: { signal: { symbols: ['AAPL', 'MSFT'] } } });
  });

  it('the source options (run, schedule create, evaluate, audit, data) all list --on-bad-row', () => {
    const names = (c: Command) => c.options.map((x) => x.long);
    expect(names(withSourceOptions(new Command('x')))).toContain('--on-bad-row');
    expect(names(protocolOptions(new Command('evaluate')))).toEqual(expect.arrayContaining(['--on-bad-row', '--config']));
  });

  it('evaluate and audit read the source with the run config\'s ingest settings: quarantine builds the dataset, reject names the row', async () => {
    const flags = { task: 'signal', asOf: '2008-06-30', csvDir: dir, symbols: 'XOM' };
    // Before: the offline path read the source with the default ingest config whatever --config said.
    await expect(datasetFor(flags, (await runConfigFrom(flags, { kind: 'csv', dir })).source)).rejects.toThrow(/XOM\.csv, row 6, field "high"/);
    for (const extra of [{ config: '{"ingest":{"onBadRow":"quarantine"}}' }, { onBadRow: 'quarantine' }]) {
      const { ds } = await datasetFor({ ...flags, ...extra }, { kind: 'csv', dir });
      expect(ds.symbols).toEqual(['XOM']);
      expect(ds.rows).toBeGreaterThan(500);
    }
  }, 60_000);
});
