import { describe, expect, it } from 'vitest';
import { buildDataset } from '../../src/datasets/buildDataset';
import { datasetConfig } from '../../src/datasets/config';
import { trainingSet } from '../../src/sampling/trainingSet';
import { buildPanel } from '../../src/features/panel';
import { SyntheticMarketSource } from '../../src/data/sources/syntheticMarket';
import { DEFAULT_UNIVERSE } from '../../src/data/bars';
import { featureDrift, recentRows } from '../../src/monitoring/drift';
import { populationStabilityIndex } from '../../src/monitoring/psi';
import { labelRegimes } from '../../src/regimes/regimeLabeler';
import { Rng } from '../../src/util/rng';

async function syntheticPanel() {
  const batches = await new SyntheticMarketSource('synthetic-3', 3).fetch({ symbols: [...DEFAULT_UNIVERSE], until: '2010-12-31', lastStored: new Map() });
  const panel = buildPanel(new Map(batches.map((b) => [b.symbol, b.bars])));
  return { panel, regimes: labelRegimes(panel).regime };
}

describe('error replay buffer', () => {
  it('weights up replayed rows, and only ever inside a training window (never the window they are evaluated on)', async () => {
    const { panel, regimes } = await syntheticPanel();
    const cfg = datasetConfig({ signal: { symbols: ['XLK', 'XLF'], sampleSize: 2000 } });
    const base = buildDataset(panel, regimes, 'signal', cfg);
    const key = (i: number) => `${base.dates[base.t[i]].replaceAll('-', '')}:${base.symbols[base.symbol[i]]}`;
    const rng = new Rng(5);
    const replayed = [...new Set(Array.from({ length: 30 }, () => rng.int(base.rows)))];
    const withReplay = buildDataset(panel, regimes, 'signal', cfg, { replay: { keys: new Set(replayed.map(key)), weight: 2 } });
    expect(withReplay.replayRows).toBe(replayed.length);
    for (const i of replayed) expect(withReplay.replayWeight[i]).toBe(2);
    expect(Array.from(base.replayWeight).every((w) => w === 1)).toBe(true);
    // The weight acts through training sets only: a window's sample weights carry it, its evaluation rows are plain labels.
    const fold = { from: 0, to: base.t[base.rows - 1] };
    const plain = trainingSet(base, fold, cfg, 1);
    const boosted = trainingSet(withReplay, fold, cfg, 1);
    const k = Array.from(boosted.sample).findIndex((i) => replayed.includes(i));
    expect(k).toBeGreaterThanOrEqual(0);
    expect(boosted.weight[k]).toBeCloseTo(plain.weight[k] * 2, 12);
  });
});

describe('drift', () => {
  it('PSI is ~0 for the same distribution and large for a shifted one', () => {
    const rng = new Rng(1);
    const a = Array.from({ length: 5000 }, () => rng.normal());
    const b = Array.from({ length: 2000 }, () => rng.normal());
    const shifted = Array.from({ length: 2000 }, () => rng.normal() + 1.5);
    expect(populationStabilityIndex(a, b)).toBeLessThan(0.02);
    expect(populationStabilityIndex(a, shifted)).toBeGreaterThan(0.5);
  });
  it('flags features whose newest days differ from the training window', async () => {
    const { panel, regimes } = await syntheticPanel();
    const ds = buildDataset(panel, regimes, 'strategy', datasetConfig({}));
    const recent = recentRows(ds, 20);
    expect(new Set(Array.from(recent, (i) => ds.t[i])).size).toBe(20);
    const j = ds.featureNames.indexOf('vix_level');
    for (const i of recent) ds.X[i * ds.cols + j] += 100; // a regime the training window never saw
    const d = featureDrift(ds, { psiThreshold: 0.25, recentDays: 20 });
    expect(d.find((x) => x.feature === 'vix_level')!.flagged).toBe(true);
    expect(d).toHaveLength(10);
  });
});
