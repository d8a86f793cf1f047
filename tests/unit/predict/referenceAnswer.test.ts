import { beforeAll, describe, expect, it } from 'vitest';
import { createSource } from '../../../src/data/sources';
import type { Dataset } from '../../../src/datasets/dataset';
import { datasetsFromSource } from '../../../src/datasets/datasetFromSource';
import { classFrequencies, labelPersistence, majorityOf } from '../../../src/evaluation/baselines';
import { referenceAnswer } from '../../../src/predict/referenceAnswer';

describe('with no champion, predict serves the rule the gate scored', () => {
  let strategy: Dataset;
  let signal: Dataset;
  beforeAll(async () => {
    const b = await datasetsFromSource(createSource({ kind: 'synthetic', seed: 8 }), { asOf: '2012-06-29', tasks: ['strategy', 'signal'], config: { signal: { symbols: ['XLK', 'XLF', 'AAPL'] } } });
    strategy = b.datasets.strategy!;
    signal = b.datasets.signal!;
  }, 120_000);

  it('the declared benchmark is answered by its weights (60/40 is not one of the allocations)', () => {
    const t = strategy.dates.length - 1;
    const a = referenceAnswer(strategy, 'sixty_forty', t);
    expect(a.allocation).toEqual({ name: 'sixty_forty', SPY: 0.6, TLT: 0.4 });
    expect(Array.from(a.probaFor('SPY')).every((p) => p === 0)).toBe(true); // no class holds 60/40
    expect(referenceAnswer(strategy, 'buy_and_hold_spy', t).allocation).toEqual({ name: 'buy_and_hold_spy', SPY: 1, TLT: 0 });
    const best = referenceAnswer(strategy, 'best_static_in_training', t);
    const k = strategy.classNames.indexOf(best.allocation!.name);
    expect(k).toBeGreaterThanOrEqual(0);
    expect(Array.from(best.probaFor('SPY'))[k]).toBe(1);
  });

  it('flat answers "hold" for every symbol; label persistence and majority repeat the labels known at t, as scored', () => {
    const t = signal.dates.length - 1;
    const hold = signal.classNames.indexOf('hold');
    for (const s of signal.symbols) expect(Array.from(referenceAnswer(signal, 'flat', t).probaFor(s))[hold]).toBe(1);
    const known = Array.from({ length: signal.rows }, (_, i) => i).filter((i) => signal.t[i] + signal.executionLag + signal.horizon <= t);
    const majority = majorityOf(classFrequencies(known.map((i) => signal.y[i]), signal.classNames.length));
    const scored = labelPersistence({ day: signal.symbols.map(() => t), symbol: signal.symbols.map((_, s) => s) }, { day: signal.t, symbol: signal.symbol, label: signal.y }, signal.executionLag + signal.horizon, majority);
    const served = referenceAnswer(signal, 'label_persistence', t);
    signal.symbols.forEach((s, k) => expect(Array.from(served.probaFor(s)).indexOf(1), s).toBe(scored.pred[k]));
    expect(Array.from(referenceAnswer(signal, 'majority', t).probaFor('XLK')).indexOf(1)).toBe(majority);
  });

  it('a random class-prior guess is a diagnostic and is never served', () => {
    expect(() => referenceAnswer(signal, 'class_prior', signal.dates.length - 1)).toThrow(/names "class_prior" as its reference, which cannot be served/);
  });
});
