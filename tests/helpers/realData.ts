import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What each kind of shared real data is, and the file that shows a folder holds it. */
const KINDS = {
  // Each read spelled out: docs/configuration.md is checked against the environment reads in the code.
  market: { env: 'MARKET_DATA_DIR', read: () => process.env.MARKET_DATA_DIR, marker: 'SPY.csv', what: 'the real market corpus' },
  rates: { env: 'RATES_DATA_DIR', read: () => process.env.RATES_DATA_DIR, marker: 'DTB3.csv', what: 'the T-bill series' },
} as const;

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const warned = new Set<string>();

/**
 * Where the shared real data lives, read in place and never copied into the repository:
 * `$MARKET_DATA_DIR` / `$RATES_DATA_DIR`, else the nearest `shared/data/<kind>` in a folder
 * above the checkout (`../shared` beside a main checkout, `../../shared` from a worktree under
 * wt/, and so on). Absent, it returns null so a suite can skip, saying so once; under CI=true
 * absence is an error, so CI never passes by skipping.
 */
export function realDataDir(kind: keyof typeof KINDS): string | null {
  const k = KINDS[kind];
  const fromEnv = k.read();
  const candidates = fromEnv ? [resolve(fromEnv)] : ancestorsOf(REPO_ROOT).map((d) => join(d, 'shared', 'data', kind));
  const found = candidates.find((d) => existsSync(join(d, k.marker))) ?? null;
  if (!found) {
    const where = fromEnv ? `${k.env}=${fromEnv}` : `shared/data/${kind} in no folder above ${REPO_ROOT}`;
    const msg = `${k.what} not found (${k.marker} under ${where}; set ${k.env})`;
    if (process.env.CI === 'true') throw new Error(`${msg}: required under CI`);
    if (!warned.has(kind)) console.warn(`${msg}: the tests that need it skip`);
    warned.add(kind);
  }
  return found;
}

/** The folders above `dir`, nearest first (not `dir` itself: the data is never inside the checkout). */
function ancestorsOf(dir: string): string[] {
  const out: string[] = [];
  for (let d = dirname(resolve(dir)); ; d = dirname(d)) {
    out.push(d);
    if (dirname(d) === d) return out;
  }
}
