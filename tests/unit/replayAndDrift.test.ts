import { describe, expect, it } from 'vitest';
import { buildDataset } from '../../src/datasets/buildDataset';
import { datasetConfig } from '../../src/datasets/config';
import { SPLIT_TEST, SPLIT_TRAIN } from '../../src/datasets/dataset';
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
  it('weights up replayed rows that lie in the training window and ignores validation/test ones', async () => {
    const { panel, regimes } = await syntheticPanel();
    const cfg = datasetConfig({ signal: { symbols: ['XLK', 'XLF'], sampleSize: 2000 } });
    const base = buildDataset(panel, regimes, 'signal', cfg);
    const key = (i: number) => `${base.day[i]}:${base.symbols[base.symbol[i]]}`;
    const trainRows = Array.from({ length: base.rows }, (_, i) => i).filter((i) => base.split[i] === SPLIT_TRAIN);
    const testRows = Array.from({ length: base.rows }, (_, i) => i).filter((i) => base.split[i] === SPLIT_TEST);
    const rng = new Rng(5);
    const replayTrain = Array.from({ length: 30 }, () => trainRows[rng.int(trainRows.length)]);
    const keys = new Set([...replayTrain.map(key), ...testRows.slice(0, 10).map(key)]);
    const withReplay = buildDataset(panel, regimes, 'signal', cfg, { replay: { keys, weight: 2 } });
    expect(withReplay.replayRows).toBe(new Set(replayTrain).size);
    for (const i of new Set(replayTrain)) {
      expect(withReplay.weight[i]).toBeCloseTo(base.weight[i] * 2, 12);
      expect(withReplay.trainSample.includes(i)).toBe(true);
    }
    // Test rows are never touched: no leakage of the champion's recent mistakes into evaluation.
    for (const i of testRows.slice(0, 10)) expect(withReplay.weight[i]).toBe(base.weight[i]);
    expect(Array.from(withReplay.trainSample).every((i) => withReplay.split[i] === SPLIT_TRAIN)).toBe(true);
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
    expect(new Set(Array.from(recent, (i) => ds.day[i])).size).toBe(20);
    const j = ds.featureNames.indexOf('vix_level');
    for (const i of recent) ds.X[i * ds.cols + j] += 100; // a regime the training window never saw
    const d = featureDrift(ds, { psiThreshold: 0.25, recentDays: 20 });
    expect(d.find((x) => x.feature === 'vix_level')!.flagged).toBe(true);
    expect(d).toHaveLength(10);
  });
});
