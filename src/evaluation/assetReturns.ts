import type { Bar } from '../data/bars';
import type { BacktestAsset } from './backtest';

/**
 * A backtest leg from daily bars on a trading calendar: close-to-close returns of the
 * total-return price (adj_close) when every bar has one, else of the close, flagged price-only.
 * `overnight` (close d−1 -> open d) scales the open by the same adjustment factor as its close.
 * A calendar day without a bar carries the last price for at most `maxStaleDays` trading days
 * (return 0, the move lands on the day trading resumes); longer gaps leave NaN, so a portfolio
 * holding the asset then fails loudly instead of earning a fictitious flat return.
 */
export function assetFromBars(name: string, bars: Bar[], calendar: string[], maxStaleDays = 5): BacktestAsset {
  const priceOnly = bars.length === 0 || bars.some((b) => b.adjClose === null);
  const n = calendar.length;
  const price = new Float64Array(n).fill(NaN);
  const open = new Float64Array(n).fill(NaN);
  let j = 0;
  let last: Bar | undefined;
  let stale = 0;
  for (let t = 0; t < n; t++) {
    let fresh = false;
    while (j < bars.length && bars[j].date <= calendar[t]) {
      last = bars[j++];
      fresh = last.date === calendar[t];
    }
    if (!last) continue;
    stale = fresh ? 0 : stale + 1;
    if (stale > maxStaleDays) continue;
    const factor = priceOnly ? 1 : last.adjClose! / last.close;
    price[t] = last.close * factor;
    if (fresh && last.open !== null) open[t] = last.open * factor;
  }
  const returns = new Float64Array(n).fill(NaN);
  const overnight = new Float64Array(n).fill(NaN);
  for (let t = 1; t < n; t++) {
    returns[t] = price[t] / price[t - 1] - 1;
    overnight[t] = open[t] / price[t - 1] - 1;
  }
  return { name, returns, overnight, priceOnly };
}
