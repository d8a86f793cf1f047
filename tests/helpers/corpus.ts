import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The real market corpus (SPY, TLT, ^VIX, nine sector ETFs, AAPL/MSFT/GOOGL), read in place and
 * never copied into the repository: MARKET_DATA_DIR, else ../shared/data/market from the
 * repository (the main checkout) or from a worktree one level deeper. Absent, the suites that
 * need it say so and skip; under CI=true an absent corpus fails them instead.
 */
const candidates = [process.env.MARKET_DATA_DIR, '../shared/data/market', '../../shared/data/market'].filter((d): d is string => !!d).map((d) => resolve(d));
export const CORPUS_DIR = candidates.find((d) => existsSync(`${d}/SPY.csv`)) ?? candidates[0];
export const corpusPresent = existsSync(`${CORPUS_DIR}/SPY.csv`);

if (!corpusPresent) {
  if (process.env.CI === 'true') throw new Error(`the real market corpus is required under CI: ${CORPUS_DIR} not found (set MARKET_DATA_DIR)`);
  console.warn(`real-market tests skipped: ${CORPUS_DIR} not found (set MARKET_DATA_DIR)`);
}
