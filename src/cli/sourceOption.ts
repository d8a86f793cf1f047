import { InvalidArgumentError, type Command } from 'commander';
import { MAX_PLANTED_EDGE } from '../data/sources/plantedSignal';
import type { SourceSpec } from '../data/sources/types';

/** `--source synthetic|csv|online` with `--csv-dir` (or MARKET_DATA_DIR), `--cash-rate-file` (or CASH_RATE_FILE), `--seed` and `--planted`, as a source spec. */
export function sourceOption(o: { source?: string; csvDir?: string; seed?: string; cashRateFile?: string; planted?: string; plantedReverseOn?: string; plantedMinVix?: string }): SourceSpec {
  if (o.source === 'csv' || o.csvDir) {
    const dir = o.csvDir ?? process.env.MARKET_DATA_DIR;
    if (!dir) throw new InvalidArgumentError('--source csv needs --csv-dir DIR (or MARKET_DATA_DIR)');
    const cashRateFile = o.cashRateFile ?? process.env.CASH_RATE_FILE;
    return { kind: 'csv', dir, ...(cashRateFile ? { cashRateFile } : {}) };
  }
  if (o.source === 'online') return { kind: 'online' };
  if (o.source !== undefined && o.source !== 'synthetic') throw new InvalidArgumentError(`--source must be synthetic, csv or online, got "${o.source}"`);
  const planted = o.planted === undefined ? undefined : plantedEdge(o.planted);
  if ((o.plantedReverseOn !== undefined || o.plantedMinVix !== undefined) && !planted) throw new InvalidArgumentError('--planted-reverse-on and --planted-min-vix shape a planted edge: give --planted too');
  const plantedShape = { ...(o.plantedReverseOn !== undefined ? { reverseOn: o.plantedReverseOn } : {}), ...(o.plantedMinVix !== undefined ? { minVix: Number(o.plantedMinVix) } : {}) };
  return { kind: 'synthetic', seed: o.seed ? Number(o.seed) : 42, ...(planted ? { planted } : {}), ...(Object.keys(plantedShape).length ? { plantedShape } : {}) };
}

/** One planted edge size, checked against the generator's one limit. */
export function plantedEdge(text: string): number {
  const e = Number(text);
  if (!(e > 0 && e <= MAX_PLANTED_EDGE)) throw new InvalidArgumentError(`--planted must be a number in (0, ${MAX_PLANTED_EDGE}], got "${text}"`);
  return e;
}

/** The options every command that reads market data takes (keep them the same everywhere). */
export function withSourceOptions(cmd: Command, defaultSource: 'synthetic' | 'csv' = 'synthetic'): Command {
  return cmd
    .option('--source <kind>', 'synthetic | csv | online', defaultSource)
    .option('--csv-dir <dir>', 'folder of <SYMBOL>.csv files (default MARKET_DATA_DIR)')
    .option('--cash-rate-file <file>', 'FRED-format cash-rate CSV (e.g. DTB3.csv; default: DTB3.csv in --csv-dir, or CASH_RATE_FILE)')
    .option('--seed <n>', 'synthetic market seed')
    .option('--planted <edge>', `synthetic market with a planted, provable edge of this daily size, 0 < edge <= ${MAX_PLANTED_EDGE} (e.g. 0.01): each series' volume hints at its return two days later`)
    .option('--planted-reverse-on <date>', 'the planted edge reverses sign from this date (concept drift)')
    .option('--planted-min-vix <level>', 'the planted edge exists only on days whose VIX close is at least this (stress days)')
    .option('--symbols <list>', 'signal symbols: A,B,C | @FILE (one per line, # comments) | all (every <SYMBOL>.csv)')
    .option('--on-bad-row <mode>', 'a bad row (high < low, a non-positive price, an unexplained jump): reject (refuse the file; default) | quarantine (leave the row out and record it); overrides ingest.onBadRow in --config');
}
