import { describe, expect, it } from 'vitest';
import { SyntheticMarketSource } from '../../../src/data/sources/syntheticMarket';
import { MARKET_INPUTS } from '../../../src/data/universe';
import { buildDataset } from '../../../src/datasets/buildDataset';
import { datasetConfig } from '../../../src/datasets/config';
import { featureRow, taskFeatures } from '../../../src/features/featureRows';
import { buildPanel } from '../../../src/features/panel';
import { labelRegimes } from '../../../src/regimes/regimeLabeler';

describe('one feature-row builder for training and serving', () => {
  it('the row served on day t (bars up to t only) equals the dataset row for day t, bit for bit', async () => {
    const symbols = ['XLK', 'XLF', 'AAPL'];
    const batches = await new SyntheticMarketSource('synthetic-5', 5).fetch({ symbols: [...MARKET_INPUTS, ...symbols], until: '2009-12-31', lastStored: new Map() });
    const bars = new Map(batches.map((b) => [b.symbol, b.bars]));
    const panel = buildPanel(bars);
    const cfg = datasetConfig({ signal: { symbols } });
    for (const task of ['strategy', 'signal'] as const) {
      const ds = buildDataset(panel, labelRegimes(panel).regime, task, cfg);
      for (const i of [0, Math.floor(ds.rows / 3), ds.rows - 1]) {
        const day = ds.dates[ds.t[i]];
        // What predict does on that day: a panel of bars up to it, the dataset's stored market inputs.
        const past = buildPanel(new Map([...bars].map(([s, b]) => [s, b.filter((x) => x.date <= day)])));
        const f = taskFeatures(past, task, task === 'signal' ? ds.symbols : [], ds.marketInputs);
        const served = featureRow(f.matrix(ds.symbol[i]), past.dates.length - 1)!;
        expect(f.names).toEqual(ds.featureNames);
        expect(Array.from(served)).toEqual(Array.from(ds.X.subarray(i * ds.cols, (i + 1) * ds.cols)));
      }
    }
  });
});
