import { beforeAll, describe, expect, it } from 'vitest';
import { createSource } from '../../../../src/data/sources';
import { type Dataset, rowsBetween } from '../../../../src/datasets/dataset';
import { datasetsFromSource } from '../../../../src/datasets/datasetFromSource';
import { datasetConfig } from '../../../../src/datasets/config';
import { memoryFoldCache, metaOutOfSample, protocolFolds, type CachedFold, type FoldCache, type MemberFold } from '../../../../src/evaluation/protocol';
import { Rng } from '../../../../src/util/rng';

const config = datasetConfig({});

/** Three members whose probabilities lean toward the label by different amounts, plus noise. */
function memberWindows(ds: Dataset, seed: number): MemberFold[] {
  const plan = protocolFolds(ds, config);
  const K = ds.classNames.length;
  const rng = new Rng(seed);
  return [...plan.cv, plan.final].map((fold) => {
    const rows = rowsBetween(ds, fold.test!.from, fold.test!.to);
    const proba = [0.2, 0.5, 0].map((lean) => {
      const p = new Float64Array(rows.length * K);
      rows.forEach((r, i) => {
        let s = 0;
        for (let k = 0; k < K; k++) s += p[i * K + k] = rng.next() + (k === ds.y[r] ? lean * K : 0);
        for (let k = 0; k < K; k++) p[i * K + k] /= s;
      });
      return p;
    });
    return { fold, rows, proba };
  });
}

/** A memory fold cache that counts what was stored. */
function countingCache(): FoldCache & { puts: CachedFold[] } {
  const inner = memoryFoldCache();
  const puts: CachedFold[] = [];
  return { puts, get: (k) => inner.get(k), put: async (f) => (puts.push(f), inner.put(f)) };
}

describe('the walk-forward meta-learner keeps its window fits in the fold cache', () => {
  let ds: Dataset;
  beforeAll(async () => {
    ds = (await datasetsFromSource(createSource({ kind: 'synthetic', seed: 5 }), { asOf: '2016-06-30', tasks: ['strategy'], config })).datasets.strategy!;
  }, 120_000);

  it('reuses every unchanged window the next run, refits only the windows whose inputs changed, and predicts exactly as without a cache', async () => {
    const windows = memberWindows(ds, 1);
    const gap = protocolFolds(ds, config).gap;
    const fresh = await metaOutOfSample(ds, windows, gap, config, {});
    const cache = countingCache();
    const store = { cache, feed: 'offline', candidateHash: 'c_meta_test' };
    const first = await metaOutOfSample(ds, windows, gap, config, {}, undefined, store);
    expect(first).toEqual(fresh);
    const fitted = cache.puts.length;
    expect(fitted).toBeGreaterThanOrEqual(windows.length - 2); // the first window averages: nothing to fit on yet
    expect(cache.puts.every((f) => f.kind === 'meta' && f.candidateHash === 'c_meta_test' && f.proba !== null)).toBe(true);

    // The same inputs again (the week after, nothing new in the pooled windows): nothing refitted.
    const again = await metaOutOfSample(ds, windows, gap, config, {}, undefined, store);
    expect(again).toEqual(first);
    expect(cache.puts.length).toBe(fitted);

    // The newest window's member predictions change: only that window is fitted again (its
    // training inputs are the earlier windows', so its stored model is re-predicted).
    const changed = windows.map((w, k) => (k === windows.length - 1 ? memberWindows(ds, 2)[k] : w));
    const next = await metaOutOfSample(ds, changed, gap, config, {}, undefined, store);
    expect(cache.puts.length).toBe(fitted + 1);
    expect(next).toEqual(await metaOutOfSample(ds, changed, gap, config, {}));
    expect(next.slice(0, -1)).toEqual(first.slice(0, -1));

    // A changed earlier window changes what every later window trains on: those are refitted.
    const early = windows.map((w, k) => (k === 2 ? memberWindows(ds, 3)[k] : w));
    const before = cache.puts.length;
    const out = await metaOutOfSample(ds, early, gap, config, {}, undefined, store);
    expect(cache.puts.length - before).toBe(windows.length - 2);
    expect(out).toEqual(await metaOutOfSample(ds, early, gap, config, {}));
  }, 120_000);
});
