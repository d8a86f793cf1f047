import { describe, expect, it } from 'vitest';
import { labelWindowOverlaps, walkForwardSplit } from '../../src/sampling/splits';
import { balancedSample } from '../../src/sampling/balancedSampler';
import { DEFAULT_TARGET_MIX } from '../../src/regimes/regimes';

describe('walk-forward split', () => {
  it('purges every training label window away from validation and test', () => {
    const cfg = { horizon: 5, embargo: 3, valDays: 100, testDays: 100, minTrainDays: 200 };
    const s = walkForwardSplit(10, 1000, cfg);
    const train = Array.from({ length: s.train[1] - s.train[0] + 1 }, (_, i) => s.train[0] + i);
    expect(labelWindowOverlaps(train, cfg.horizon, s.validation[0], s.validation[1])).toBe(false);
    expect(labelWindowOverlaps(train, cfg.horizon, s.test[0], s.test[1])).toBe(false);
    const val = Array.from({ length: s.validation[1] - s.validation[0] + 1 }, (_, i) => s.validation[0] + i);
    expect(labelWindowOverlaps(val, cfg.horizon, s.test[0], s.test[1])).toBe(false);
    // and the check itself detects a leak one day closer
    expect(labelWindowOverlaps([s.validation[0] - cfg.horizon], cfg.horizon, s.validation[0], s.validation[1])).toBe(true);
    expect(s.test[1]).toBe(1000);
  });
  it('refuses too little history with a clear message', () => {
    expect(() => walkForwardSplit(0, 300, { horizon: 5, embargo: 5, valDays: 100, testDays: 100, minTrainDays: 200 })).toThrow(/not enough history/);
  });
});

describe('balanced sampler', () => {
  const regimes = [...Array(600).fill(0), ...Array(300).fill(1), ...Array(80).fill(2), ...Array(20).fill(3)];
  it('approaches the target mix, oversamples rare regimes, reports an absent one', () => {
    const r = balancedSample(regimes, null, { targetMix: DEFAULT_TARGET_MIX, maxOversample: 5, seed: 1 });
    const byName = Object.fromEntries(r.mix.map((m) => [m.regime, m]));
    expect(byName.recovery.available).toBe(0);
    expect(byName.recovery.note).toMatch(/absent/);
    expect(byName.crash.sampled).toBe(100); // capped at 5x its 20 rows
    expect(byName.crash.note).toMatch(/cap/);
    expect(byName.normal.achieved).toBeGreaterThan(byName.low_volatility.achieved);
    expect(r.indices.every((i) => i >= 0 && i < regimes.length)).toBe(true);
  });
  it('is reproducible from its seed and always keeps archive rows', () => {
    const must = regimes.map((_, i) => i === 5 || i === 700);
    const a = balancedSample(regimes, must, { targetMix: DEFAULT_TARGET_MIX, maxOversample: 5, seed: 3 });
    const b = balancedSample(regimes, must, { targetMix: DEFAULT_TARGET_MIX, maxOversample: 5, seed: 3 });
    expect(Array.from(a.indices)).toEqual(Array.from(b.indices));
    expect(a.indices).toContain(5);
    expect(a.indices).toContain(700);
  });
});
