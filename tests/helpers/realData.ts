import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Where the shared real data lives (read in place, never copied): `$MARKET_DATA_DIR` /
 * `$RATES_DATA_DIR`, else `../shared/data/<kind>` from the repository (main checkout) or
 * `../../shared/data/<kind>` (a worktree under wt/). Returns null when absent so a suite can
 * skip with a message; under CI=true absence is an error, so CI never passes by skipping.
 */
export function realDataDir(kind: 'market' | 'rates'): string | null {
  const env = kind === 'market' ? process.env.MARKET_DATA_DIR : process.env.RATES_DATA_DIR;
  const candidates = env ? [resolve(env)] : [resolve(`../shared/data/${kind}`), resolve(`../../shared/data/${kind}`)];
  const found = candidates.find((c) => existsSync(c)) ?? null;
  if (!found) {
    const msg = `real ${kind} data not found (looked in ${candidates.join(', ')}; set ${kind === 'market' ? 'MARKET_DATA_DIR' : 'RATES_DATA_DIR'})`;
    if (process.env.CI === 'true') throw new Error(`${msg}: required under CI`);
    console.warn(`${msg}: real-data tests skipped`);
  }
  return found;
}
