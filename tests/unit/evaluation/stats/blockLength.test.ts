import { describe, expect, it } from 'vitest';
import { optimalMeanBlock } from '../../../../src/evaluation/stats/blockLength';
import { Rng } from '../../../../src/util/rng';

function ar1(n: number, phi: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const x = new Float64Array(n);
  for (let i = 1; i < n; i++) x[i] = phi * x[i - 1] + rng.normal();
  return x;
}

// For AR(1) the optimal stationary-bootstrap block is (2φ/(1−φ²))^(2/3)·n^(1/3) (Politis & White 2004).
const theory = (phi: number, n: number) => Math.pow((2 * phi) / (1 - phi * phi), 2 / 3) * Math.cbrt(n);

describe('data-driven block length (Politis & White, Patton-Politis-White correction)', () => {
  it('is short for independent days and tracks the AR(1) optimum as dependence grows', () => {
    const n = 5000;
    expect(optimalMeanBlock(ar1(n, 0, 1))).toBeLessThanOrEqual(4);
    for (const phi of [0.5, 0.9]) {
      const est = [1, 2, 3, 4, 5].map((s) => optimalMeanBlock(ar1(n, phi, 10 + s))).sort((a, b) => a - b)[2];
      expect(est / theory(phi, n), `phi ${phi}: median ${est} vs ${theory(phi, n).toFixed(1)}`).toBeGreaterThan(0.6);
      expect(est / theory(phi, n)).toBeLessThan(1.6);
    }
  });

  it('ignores missing days, never exceeds min(3√n, n/3), and is 1 for a constant or tiny series', () => {
    const x = ar1(2000, 0.99, 3);
    expect(optimalMeanBlock(x)).toBeLessThanOrEqual(Math.ceil(3 * Math.sqrt(2000)));
    const gaps = Float64Array.from(ar1(3000, 0.5, 4), (v, i) => (i % 7 === 0 ? NaN : v));
    expect(optimalMeanBlock(gaps)).toBeGreaterThan(5);
    expect(optimalMeanBlock(new Float64Array(100).fill(2))).toBe(1);
    expect(optimalMeanBlock([1, 2, 3])).toBe(1);
  });
});
