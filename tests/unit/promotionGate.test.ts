import { describe, expect, it } from 'vitest';
import { evaluatePerRegime } from '../../src/evaluation/perRegime';
import { decidePromotion, DEFAULT_GATE } from '../../src/evaluation/promotionGate';

function metricsFor(pred: number[], y: number[], regime: number[]) {
  const K = 4;
  const proba = new Float64Array(pred.length * K);
  pred.forEach((p, i) => {
    for (let k = 0; k < K; k++) proba[i * K + k] = k === p ? 0.7 : 0.1;
  });
  return evaluatePerRegime(proba, Int32Array.from(y), Int8Array.from(regime), K);
}

describe('promotion gate', () => {
  const y = [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3];
  const regime = [1, 1, 1, 1, 3, 3, 3, 3, 4, 4, 4, 4];
  it('promotes a sane first model and reports absent regimes as no samples', () => {
    const m = metricsFor(y, y, regime);
    expect(m.low_volatility).toBeNull();
    const d = decidePromotion(m, null, DEFAULT_GATE, 4);
    expect(d.promoted).toBe(true);
  });
  it('refuses a model that predicts fewer than 3 classes', () => {
    const d = decidePromotion(metricsFor([0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1], y, regime), null, DEFAULT_GATE, 4);
    expect(d.promoted).toBe(false);
    expect(d.reason).toMatch(/sanity_classes_used/);
  });
  it('refuses a challenger that is better overall but worse in crashes', () => {
    const champion = metricsFor([0, 1, 2, 0, 0, 1, 2, 3, 0, 1, 2, 0], y, regime);
    const challenger = metricsFor([0, 1, 2, 3, 0, 1, 0, 0, 0, 1, 2, 3], y, regime);
    expect(challenger.all!.macro_f1).toBeGreaterThan(champion.all!.macro_f1);
    const d = decidePromotion(challenger, champion, DEFAULT_GATE, 4);
    expect(d.promoted).toBe(false);
    expect(d.reason).toMatch(/stress_crash/);
  });
  it('promotes a challenger better everywhere', () => {
    const champion = metricsFor([0, 1, 2, 0, 0, 1, 2, 0, 0, 1, 2, 0], y, regime);
    const d = decidePromotion(metricsFor(y, y, regime), champion, DEFAULT_GATE, 4);
    expect(d.promoted).toBe(true);
  });
});
