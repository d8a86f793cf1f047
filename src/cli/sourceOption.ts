import { InvalidArgumentError, type Command } from 'commander';
import type { SourceSpec } from '../data/sources/types';

/** `--source synthetic|csv|online` with `--csv-dir` (or MARKET_DATA_DIR), `--cash-rate-file` (or CASH_RATE_FILE), `--seed` and `--planted`, as a source spec. */
export function sourceOption(o: { source?: string; csvDir?: string; seed?: string; cashRateFile?: string; planted?: string }): SourceSpec {
  if (o.source === 'csv' || o.csvDir) {
    const dir = o.csvDir ?? process.env.MARKET_DATA_DIR;
    if (!dir) throw new InvalidArgumentError('--source csv needs --csv-dir DIR (or MARKET_DATA_DIR)');
    const cashRateFile = o.cashRateFile ?? process.env.CASH_RATE_FILE;
    return { kind: 'csv', dir, ...(cashRateFile ? { cashRateFile } : {}) };
  }
  if (o.source === 'online') return { kind: 'online' };
  if (o.source !== undefined && o.source !== 'synthetic') throw new InvalidArgumentError(`--source must be synthetic, csv or online, got "${o.source}"`);
  const planted = o.planted === undefined ? undefined : Number(o.planted);
  if (planted !== undefined && !(planted > 0 && planted < 1)) throw new InvalidArgumentError(`--planted must be a number between 0 and 1, got "${o.planted}"`);
  return { kind: 'synthetic', seed: o.seed ? Number(o.seed) : 42, ...(planted ? { planted } : {}) };
}

/** The options every command that reads market data takes (keep them the same everywhere). */
export function withSourceOptions(cmd: Command, defaultSource: 'synthetic' | 'csv' = 'synthetic'): Command {
  return cmd
    .option('--source <kind>', 'synthetic | csv | online', defaultSource)
    .option('--csv-dir <dir>', 'folder of <SYMBOL>.csv files (default MARKET_DATA_DIR)')
    .option('--cash-rate-file <file>', 'FRED-format cash-rate CSV (e.g. DTB3.csv; default: DTB3.csv in --csv-dir, or CASH_RATE_FILE)')
    .option('--seed <n>', 'synthetic market seed')
    .option('--planted <edge>', 'synthetic market with a planted, provable edge of this size (e.g. 0.03): each stock\'s volume hints at its return two days later')
    .option('--symbols <list>', 'signal symbols: A,B,C | @FILE (one per line, # comments) | all (every <SYMBOL>.csv)');
}
