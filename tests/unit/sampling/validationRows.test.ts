import { describe, expect, it } from 'vitest';
import { datasetConfig } from '../../../src/datasets/config';
import { capValidationRows } from '../../../src/sampling/validationRows';

describe('the early-stopping validation rows of a large window', () => {
  const rows = Int32Array.from({ length: 63_000 }, (_, i) => 1_000 + 2 * i);

  it('keeps a small window as it is', () => {
    const few = rows.subarray(0, 500);
    expect(capValidationRows(few, 16_000, 1)).toBe(few);
  });

  it('draws exactly max distinct rows of the window, in time order, the same for the same seed', () => {
    const a = capValidationRows(rows, 16_000, 42);
    expect(a.length).toBe(16_000);
    const inWindow = new Set(rows);
    for (let i = 0; i < a.length; i++) {
      expect(inWindow.has(a[i])).toBe(true);
      if (i > 0) expect(a[i]).toBeGreaterThan(a[i - 1]); // sorted and distinct
    }
    expect(Array.from(capValidationRows(rows, 16_000, 42))).toEqual(Array.from(a));
    expect(Array.from(capValidationRows(rows, 16_000, 43))).not.toEqual(Array.from(a));
  });

  it('draws uniformly over the window (each tenth holds a tenth of the sample)', () => {
    const a = capValidationRows(rows, 16_000, 7);
    const tenth = new Array(10).fill(0);
    for (const r of a) tenth[Math.min(9, Math.floor(((r - 1_000) / 2 / rows.length) * 10))]++;
    // Hypergeometric sd of a tenth's count is ~35; 5 sd either side.
    for (const c of tenth) expect(Math.abs(c - 1_600)).toBeLessThan(175);
  });

  it('defaults to 16,000 rows, like the signal training sample', () => {
    expect(datasetConfig({}).split.maxValidationRows).toBe(16_000);
    expect(() => datasetConfig({ split: { maxValidationRows: 10 } })).toThrow();
  });
});
