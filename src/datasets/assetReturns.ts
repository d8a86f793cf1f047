import type { Bar } from '../data/bars';
import { totalReturnLevels, type ReturnCoverage } from '../data/totalReturn';

/** One risky asset a backtest holds: its daily returns and how they account for distributions. */
export interface BacktestAsset {
  name: string;
  /** Return on calendar day d, close d−1 -> close d (total return where adj_close exists). */
  returns: ArrayLike<number>;
  /** Close d−1 -> open d (next_open execution only). */
  overnight?: ArrayLike<number>;
  /** True when `returns` ignore distributions on some days (no adj_close, no distribution record there): reported in `priceOnly`. */
  priceOnly: boolean;
  /** First date whose return is price-only (absent: all of it when `priceOnly`); a backtest that ends before it is total return. */
  priceOnlyFrom?: string | null;
  /** How the returns account for distributions (src/data/totalReturn.ts). */
  coverage?: ReturnCoverage;
}

/**
 * A backtest leg from daily bars on a trading calendar: close-to-close returns of the
 * total-return level (src/data/totalReturn.ts: adj_close on every bar, else the close with the
 * recorded distributions reinvested at the ex-date close, else the close alone), with the
 * coverage saying from when it is price-only. `overnight` (close d−1 -> open d) scales the
 * open by the same factor as its close. A calendar day without a bar carries the last level
 * for at most `maxStaleDays` trading days (return 0, the move lands on the day trading
 * resumes); longer gaps leave NaN, so a portfolio holding the asset then fails loudly instead
 * of earning a fictitious flat return.
 */
export function assetFromBars(name: string, bars: Bar[], calendar: string[], maxStaleDays = 5): BacktestAsset {
  const { level, coverage } = totalReturnLevels(name, bars);
  const n = calendar.length;
  const price = new Float64Array(n).fill(NaN);
  const open = new Float64Array(n).fill(NaN);
  let j = 0;
  let last: Bar | undefined;
  let lastLevel = NaN;
  let stale = 0;
  for (let t = 0; t < n; t++) {
    let fresh = false;
    while (j < bars.length && bars[j].date <= calendar[t]) {
      lastLevel = level[j];
      last = bars[j++];
      fresh = last.date === calendar[t];
    }
    if (!last) continue;
    stale = fresh ? 0 : stale + 1;
    if (stale > maxStaleDays) continue;
    price[t] = lastLevel;
    if (fresh && last.open !== null) open[t] = last.open * (lastLevel / last.close);
  }
  const returns = new Float64Array(n).fill(NaN);
  const overnight = new Float64Array(n).fill(NaN);
  for (let t = 1; t < n; t++) {
    returns[t] = price[t] / price[t - 1] - 1;
    overnight[t] = open[t] / price[t - 1] - 1;
  }
  return { name, returns, overnight, priceOnly: coverage.priceOnlyFrom !== null, priceOnlyFrom: coverage.priceOnlyFrom, coverage };
}
