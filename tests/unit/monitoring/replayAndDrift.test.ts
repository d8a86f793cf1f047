import { describe, expect, it } from 'vitest';
import { buildDataset } from '../../../src/datasets/buildDataset';
import { datasetConfig } from '../../../src/datasets/config';
import { trainingSet } from '../../../src/sampling/trainingSet';
import { buildPanel } from '../../../src/features/panel';
import { SyntheticMarketSource } from '../../../src/data/sources/syntheticMarket';
import { DEFAULT_UNIVERSE } from '../../../src/data/bars';
import { calibratedMatrixDrift } from '../../../src/monitoring/calibratedDrift';
import { populationStabilityIndex } from '../../../src/monitoring/psi';
import { labelRegimes } from '../../../src/regimes/regimeLabeler';
import { Rng } from '../../../src/util/rng';

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
  it('flags a feature whose newest days differ from its own history, and not the ones that do not', async () => {
    const { panel, regimes } = await syntheticPanel();
    const ds = buildDataset(panel, regimes, 'strategy', datasetConfig({}));
    const calm = calibratedMatrixDrift(ds.featureNames, ds.X, ds.t);
    expect(calm).toHaveLength(10);
    expect(calm.filter((x) => x.flagged).length).toBeLessThanOrEqual(2);
    const j = ds.featureNames.indexOf('signal_quality_score');
    const X = Float64Array.from(ds.X);
    const lastT = ds.t[ds.rows - 1];
    for (let i = 0; i < ds.rows; i++) if (ds.t[i] > lastT - 60) X[i * ds.cols + j] += 0.5; // a level the history never saw
    const shifted = calibratedMatrixDrift(ds.featureNames, X, ds.t);
    const f = shifted.find((x) => x.feature === 'signal_quality_score')!;
    expect(f.flagged).toBe(true);
    expect(f.psi).toBeGreaterThan(f.threshold);
    expect(calm.find((x) => x.feature === 'signal_quality_score')!.flagged).toBe(false);
  });
});
