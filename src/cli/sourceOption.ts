import { InvalidArgumentError } from 'commander';
import type { SourceSpec } from '../data/sources/types';

/** `--source synthetic|csv|online` with `--csv-dir` (or MARKET_DATA_DIR) and `--seed`, as a source spec. */
export function sourceOption(o: { source?: string; csvDir?: string; seed?: string }): SourceSpec {
  if (o.source === 'csv' || o.csvDir) {
    const dir = o.csvDir ?? process.env.MARKET_DATA_DIR;
    if (!dir) throw new InvalidArgumentError('--source csv needs --csv-dir DIR (or MARKET_DATA_DIR)');
    return { kind: 'csv', dir };
  }
  if (o.source === 'online') return { kind: 'online' };
  if (o.source !== undefined && o.source !== 'synthetic') throw new InvalidArgumentError(`--source must be synthetic, csv or online, got "${o.source}"`);
  return { kind: 'synthetic', seed: o.seed ? Number(o.seed) : 42 };
}
