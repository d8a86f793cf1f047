import { beforeAll, describe, expect, it } from 'vitest';
import { createSource } from '../../../../src/data/sources';
import type { Dataset } from '../../../../src/datasets/dataset';
import { datasetsFromSource } from '../../../../src/datasets/datasetFromSource';
import { trancheTargets } from '../../../../src/evaluation/backtest';
import { backtestMarket, backtestTranches } from '../../../../src/evaluation/protocol';

describe('overlapping tranches', () => {
  it('the target of day t is the mean of the decisions of days t−h+1..t; days without a decision hold cash; tranches wind down after the last', () => {
    const days = [2, 3, 4, 6];
    const w = [
      [0.9, 0.1],
      [0.3, 0.3],
      [0.6, 0.0],
      [0.0, 0.6],
    ];
    const held = trancheTargets(10, 2, { day: days, weights: (i) => w[i] }, 3);
    expect(held.from).toBe(2);
    expect(held.through).toBe(8); // last decision + h − 1
    const row = (t: number) => Array.from(held.targets.subarray(t * 2, t * 2 + 2));
    expect(Number.isNaN(row(1)[0])).toBe(true); // before the first decision: no target
    expect(row(2).map((x) => +x.toFixed(12))).toEqual([0.3, +(0.1 / 3).toFixed(12)]);
    expect(row(4).map((x) => +x.toFixed(12))).toEqual([+(1.8 / 3).toFixed(12), +(0.4 / 3).toFixed(12)]);
    expect(row(5).map((x) => +x.toFixed(12))).toEqual([0.3, 0.1]); // day 5 decided nothing: its tranche is cash
    expect(row(8).map((x) => +x.toFixed(12))).toEqual([0, 0.2]); // only day 6's tranche is still open
    expect(Number.isNaN(row(9)[0])).toBe(true);
    expect(() => trancheTargets(10, 2, { day: days, weights: (i) => w[i] }, 0)).toThrow(/hold must be a positive integer/);
    expect(() => trancheTargets(10, 2, { day: [3, 2], weights: (i) => w[i] }, 2)).toThrow(/out of order/);
  });

  describe('what is trained is what is traded (synthetic market, next-close execution, no costs)', () => {
    const load = async (horizon: number) => (await datasetsFromSource(createSource({ kind: 'synthetic', seed: 5 }), { asOf: '2008-12-31', tasks: ['strategy'], config: { strategy: { horizon } } })).datasets.strategy!;
    let h1: Dataset;
    let h5: Dataset;
    beforeAll(async () => {
      [h1, h5] = await Promise.all([load(1), load(5)]);
    }, 120_000);

    for (const [name, get] of [['horizon 1', () => h1], ['horizon 5', () => h5]] as const) {
      it(`${name}: holding one allocation every day earns, over each label window, exactly the return its label scored`, () => {
        const ds = get();
        const market = backtestMarket(ds);
        const k = ds.classNames.length - 1;
        const rows = Int32Array.from({ length: 300 }, (_, j) => 1000 + j);
        const b = backtestTranches(ds, market, { day: Int32Array.from(rows, (i) => ds.t[i]), weights: () => ds.allocations![k] ? [ds.allocations![k].spy, ds.allocations![k].tlt] : [] }, { costBps: 0, execution: 'next_close' });
        const pos = new Map(b.dates.map((d, i) => [d, i]));
        for (const i of [rows[10], rows[100], rows[200]]) {
          // Label window of row i: return days t + lag + 1 .. t + lag + h.
          let growth = 1;
          for (let d = ds.t[i] + ds.executionLag + 1; d <= ds.t[i] + ds.executionLag + ds.horizon; d++) growth *= 1 + b.net[pos.get(ds.dates[d])!];
          expect(growth - 1).toBeCloseTo(ds.pnl[i * ds.pnlCols + k], 10);
        }
      });
    }
  });
});
