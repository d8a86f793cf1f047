import type { Bar } from './bars';

/**
 * How a series' returns account for distributions: `adjusted_close` (the source's adj_close on
 * every bar), `distributions` (a distribution record, `<SYMBOL>.dividends.csv`, reinvested at
 * the ex-date close) or `price_only` (neither: returns ignore what the fund paid).
 */
export interface ReturnCoverage {
  symbol: string;
  basis: 'adjusted_close' | 'distributions' | 'price_only';
  /** Last day the distribution record covers (its last ex-date); null unless basis is `distributions`. */
  distributionsThrough: string | null;
  /** First day whose return ignores distributions (null: none does). */
  priceOnlyFrom: string | null;
  /** The series' last bar. */
  lastBar: string | null;
}

/**
 * A total-return level per bar (same length and order as `bars`). With adj_close on every bar
 * it is adj_close. Otherwise it starts at the first close and compounds
 * (close_t + dividend_t) / close_{t−1}: the cash that goes ex on day t buys more shares at that
 * day's close. Days no distribution record covers (dividend absent) compound the close alone,
 * and the coverage says from when.
 */
export function totalReturnLevels(symbol: string, bars: Bar[]): { level: Float64Array; coverage: ReturnCoverage } {
  const n = bars.length;
  const level = new Float64Array(n);
  const lastBar = bars[n - 1]?.date ?? null;
  if (n > 0 && bars.every((b) => b.adjClose !== null)) {
    for (let i = 0; i < n; i++) level[i] = bars[i].adjClose!;
    return { level, coverage: { symbol, basis: 'adjusted_close', distributionsThrough: null, priceOnlyFrom: null, lastBar } };
  }
  let lastCovered = -1;
  for (let i = 0; i < n; i++) {
    const d = bars[i].dividend;
    if (d !== undefined && d !== null) lastCovered = i;
    level[i] = i === 0 ? bars[0].close : (level[i - 1] * (bars[i].close + (d ?? 0))) / bars[i - 1].close;
  }
  if (lastCovered < 0) return { level, coverage: { symbol, basis: 'price_only', distributionsThrough: null, priceOnlyFrom: bars[0]?.date ?? null, lastBar } };
  let through = lastCovered;
  // The record covers through its last ex-date: that is the last day known to be total return.
  while (through > 0 && !(bars[through].dividend! > 0)) through--;
  return {
    level,
    coverage: { symbol, basis: 'distributions', distributionsThrough: bars[through].date, priceOnlyFrom: lastCovered < n - 1 ? bars[lastCovered + 1].date : null, lastBar },
  };
}

/** Whether the coverage leaves any day in [from, to] price-only. */
export function priceOnlyWithin(c: ReturnCoverage, to: string): boolean {
  return c.priceOnlyFrom !== null && c.priceOnlyFrom <= to;
}

/**
 * One sentence on how the legs' returns were computed over [from, to], naming every leg that is
 * price-only there and from when (for the verdict text, the report and `evaluate --json`).
 */
export function describeReturnCoverage(coverage: ReturnCoverage[], window: { from: string; to: string }): { priceOnly: boolean; sentence: string } {
  const short = coverage.filter((c) => priceOnlyWithin(c, window.to));
  // Legs total-return in the window whose record ends later still train on price-only labels there.
  const later = coverage.filter((c) => c.priceOnlyFrom !== null && c.priceOnlyFrom > window.to).map((c) => ` ${c.symbol} is price-only from ${c.priceOnlyFrom} (after this window, to its last bar ${c.lastBar}).`);
  if (short.length === 0) {
    const how = coverage.map((c) => (c.basis === 'adjusted_close' ? `${c.symbol} from its adjusted close` : `${c.symbol} with its distributions reinvested at the ex-date close (recorded through ${c.distributionsThrough})`));
    return { priceOnly: false, sentence: `Returns ${window.from}..${window.to} are total returns: ${how.join('; ')}.${later.join('')}` };
  }
  const parts = short.map((c) => {
    const from = c.priceOnlyFrom! > window.from ? c.priceOnlyFrom! : window.from;
    const why = c.basis === 'price_only' ? 'no adj_close and no distribution record' : `its distribution record ends at ${c.distributionsThrough}`;
    return `${c.symbol} is price-only from ${from} to ${window.to} (${why}): its return there leaves out what it paid`;
  });
  return { priceOnly: true, sentence: `Price-only legs: ${parts.join('; ')}.` };
}
