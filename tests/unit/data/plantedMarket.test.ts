import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ingestConfig, seriesPolicy } from '../../../src/data/checkPolicy';
import { createSource } from '../../../src/data/sources';
import { MAX_PLANTED_EDGE } from '../../../src/data/sources/plantedSignal';
import { SYNTHETIC_SYMBOLS } from '../../../src/data/sources/syntheticMarket';
import { validateBars } from '../../../src/data/validation';
import { plantedEdge, sourceOption } from '../../../src/cli/sourceOption';
import { parseRunConfig } from '../../../src/pipeline/runConfig';

describe('the planted market has one limit, stated and kept everywhere', () => {
  it('the CLI, the run config and the generator agree on (0, MAX_PLANTED_EDGE]', () => {
    expect(MAX_PLANTED_EDGE).toBe(0.05);
    expect(plantedEdge('0.05')).toBe(0.05);
    expect(() => plantedEdge('0.051')).toThrow(/--planted must be a number in \(0, 0\.05\], got "0\.051"/);
    expect(() => plantedEdge('0')).toThrow(/--planted must be a number in \(0, 0\.05\]/);
    expect(sourceOption({ source: 'synthetic', planted: '0.01' })).toEqual({ kind: 'synthetic', seed: 42, planted: 0.01 });
    expect(parseRunConfig({ asOf: '2014-06-30', source: { kind: 'synthetic', planted: 0.05 } }).source).toMatchObject({ planted: 0.05 });
    expect(() => parseRunConfig({ asOf: '2014-06-30', source: { kind: 'synthetic', planted: 0.06 } })).toThrow(/source.planted/);
    // The command-line reference states the same limit.
    expect(readFileSync('docs/cli-contracts.md', 'utf8')).toContain(`--planted EDGE\` (the\nsynthetic market with a planted, provable edge of that size, 0 < EDGE ≤ ${MAX_PLANTED_EDGE}`);
  });

  it('at the largest edge every generated series stays valid through 2026, whatever the seed', async () => {
    const cfg = ingestConfig();
    for (const seed of [1, 2, 3, 11, 42, 97]) {
      const batches = await createSource({ kind: 'synthetic', seed, planted: MAX_PLANTED_EDGE }).fetch({ symbols: SYNTHETIC_SYMBOLS, until: '2026-02-13', lastStored: new Map() });
      for (const b of batches) {
        // Throws with file, row and field on the first bad bar (today 0.05 drove SPY past its plausible range).
        expect(() => validateBars(b.symbol, b.bars, b.origin, seriesPolicy(b.symbol, cfg)), `seed ${seed} ${b.symbol}`).not.toThrow();
      }
    }
  }, 120_000);
});
