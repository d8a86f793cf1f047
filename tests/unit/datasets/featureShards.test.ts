import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../src/data/bars';
import { SyntheticMarketSource } from '../../../src/data/sources/syntheticMarket';
import { MARKET_INPUTS, signalSymbolsOf } from '../../../src/data/universe';
import { assembleDataset, buildDataset } from '../../../src/datasets/buildDataset';
import { datasetConfig } from '../../../src/datasets/config';
import type { Dataset } from '../../../src/datasets/dataset';
import { decodeFeatureShard, encodeFeatureShard, shardSymbols, signalFeatureShard } from '../../../src/datasets/featureShard';
import { buildPanel } from '../../../src/features/panel';
import { labelRegimes } from '../../../src/regimes/regimeLabeler';

/** What a buildFeatureShard activity loads: the market inputs plus the shard's own symbols. */
function panelOf(bars: Map<string, Bar[]>, symbols: string[]) {
  return buildPanel(new Map([...bars].filter(([s]) => MARKET_INPUTS.includes(s) || symbols.includes(s))));
}

/** Every field of two datasets equal, typed arrays byte for byte (deep equality on them is slow). */
function expectSameDataset(a: Dataset, b: Dataset, label: string) {
  const bytes = (v: ArrayBufferView) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  const same = (x: unknown, y: unknown, path: string) => {
    if (ArrayBuffer.isView(x)) {
      expect(ArrayBuffer.isView(y) && x.constructor === y.constructor, `${path} type (${label})`).toBe(true);
      expect(bytes(x).equals(bytes(y as ArrayBufferView)), `${path} bytes (${label})`).toBe(true);
    } else if (x && typeof x === 'object' && !Array.isArray(x)) {
      expect(Object.keys(y as object).sort(), `${path} keys (${label})`).toEqual(Object.keys(x).sort());
      for (const [k, v] of Object.entries(x)) same(v, (y as Record<string, unknown>)[k], `${path}.${k}`);
    } else expect(y, `${path} (${label})`).toEqual(x);
  };
  same(a, b, 'dataset');
}

describe('per-symbol feature shards', () => {
  it('a sharded build (any shard size, through the stored encoding) equals the one-activity build in every field', async () => {
    // 6 synthetic stocks with ragged listings (some start years after the market); `all` also
    // makes the sector ETFs signal symbols, so market inputs are shard members too.
    const src = new SyntheticMarketSource('synthetic-3', 3, undefined, 6);
    const listed = (await src.listSymbols()).symbols;
    const batches = await src.fetch({ symbols: listed, until: '2006-06-30', lastStored: new Map() });
    const bars = new Map(batches.filter((b) => b.bars.length > 0).map((b) => [b.symbol, b.bars]));
    const firstDays = [...bars].filter(([s]) => s.startsWith('S0')).map(([, b]) => b[0].date);
    expect(new Set(firstDays).size).toBeGreaterThan(1);
    const full = buildPanel(bars);
    const regime = labelRegimes(full).regime;
    const marketPanel = panelOf(bars, []);
    const cfg = datasetConfig({ signal: { symbols: 'all' }, includeCrisisArchive: true });
    const universe = signalSymbolsOf('all', full.price.keys());
    // Replay weights on rows of symbols in different shards.
    const replay = { keys: new Set(['20050103:S0002', '20060601:XLK', '20060301:S0006']), weight: 2.5 };
    const whole = buildDataset(full, regime, 'signal', cfg, { replay });
    expect(whole.replayRows).toBeGreaterThan(0);
    expect(whole.symbols.length).toBe(universe.length);
    for (const size of [1, 2, 7, universe.length]) {
      const shards = shardSymbols(universe, size).map((symbols) => decodeFeatureShard(encodeFeatureShard(signalFeatureShard(panelOf(bars, symbols), regime, cfg, symbols))));
      const sharded = assembleDataset(marketPanel, regime, cfg, shards, { replay });
      expectSameDataset(whole, sharded, `shards of ${size}`);
    }
  });

  it('a symbol without bars is left out as the one-activity build leaves it out; shards over another cross-section are refused', async () => {
    const src = new SyntheticMarketSource('synthetic-3', 3, undefined, 3);
    const batches = await src.fetch({ symbols: [...MARKET_INPUTS, 'S0001', 'S0002', 'AAPL'], until: '2005-12-31', lastStored: new Map() });
    const bars = new Map(batches.filter((b) => b.bars.length > 0).map((b) => [b.symbol, b.bars]));
    const list = ['S0002', 'NOPE', 'AAPL', 'S0001'];
    const cfg = datasetConfig({ signal: { symbols: list } });
    const full = buildPanel(bars);
    const regime = labelRegimes(full).regime;
    const whole = buildDataset(full, regime, 'signal', cfg);
    const shards = shardSymbols(list, 2).map((symbols) => signalFeatureShard(panelOf(bars, symbols), regime, cfg, symbols));
    expectSameDataset(whole, assembleDataset(panelOf(bars, []), regime, cfg, shards), 'listed symbols');
    // A shard whose market columns were computed without one sector ETF is not mixed in.
    const thin = new Map([...bars].filter(([s]) => s !== 'XLU'));
    const odd = signalFeatureShard(panelOf(thin, ['S0001']), regime, cfg, ['S0001']);
    expect(() => assembleDataset(panelOf(bars, []), regime, cfg, [shards[0], odd])).toThrow(/market inputs differ/);
  });
});
