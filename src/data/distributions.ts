import { InvalidMarketDataError } from '../errors';
import { isIsoDate } from '../util/dates';
import type { Bar } from './bars';

/** `<SYMBOL>.dividends.csv`: a symbol's distribution record beside its price file (never a symbol of its own). */
export const DISTRIBUTIONS_FILE = /\.dividends\.csv$/i;

export function distributionsFileName(symbol: string): string {
  return `${symbol}.dividends.csv`;
}

export interface Distributions {
  file: string;
  /** Ex-dates, strictly ascending. */
  dates: string[];
  /** Cash per share going ex on each date (USD). */
  amounts: number[];
  /** 1-based file line of each entry. */
  lines: number[];
}

/**
 * Parses `ex_date,amount` (USD per share; ISO dates strictly ascending; amounts positive). An
 * empty or header-only file is refused like an empty price file: a distribution record that
 * holds nothing is a failed download, not "no distributions". Errors name file, row and field.
 */
export function parseDistributionsCsv(text: string, file: string): Distributions {
  const raw = text.split(/\r?\n/);
  const header = (raw[0] ?? '').split(',').map((h) => h.trim().toLowerCase());
  if (text.trim() === '') throw new InvalidMarketDataError({ file }, 'has no data rows (empty or header-only file)');
  if (header.length !== 2 || header[0] !== 'ex_date' || header[1] !== 'amount') throw new InvalidMarketDataError({ file, row: 1, field: 'ex_date' }, `expected header "ex_date,amount", got "${raw[0]}"`);
  const out: Distributions = { file, dates: [], amounts: [], lines: [] };
  for (let li = 1; li < raw.length; li++) {
    if (raw[li].trim() === '') continue;
    const row = li + 1;
    const f = raw[li].split(',').map((x) => x.trim());
    if (f.length !== 2) throw new InvalidMarketDataError({ file, row }, `expected 2 fields (ex_date,amount), got ${f.length}`);
    const [date, amount] = f;
    if (!isIsoDate(date)) throw new InvalidMarketDataError({ file, row, field: 'ex_date' }, `"${date}" is not an ISO date (YYYY-MM-DD)`);
    const prev = out.dates[out.dates.length - 1];
    if (prev !== undefined && date <= prev) throw new InvalidMarketDataError({ file, row, field: 'ex_date' }, `${date} is not after the previous ex-date ${prev}`);
    const v = Number(amount);
    if (amount === '' || !Number.isFinite(v) || !(v > 0)) throw new InvalidMarketDataError({ file, row, field: 'amount' }, `"${amount}" is not a positive amount per share`);
    out.dates.push(date);
    out.amounts.push(v);
    out.lines.push(row);
  }
  if (out.dates.length === 0) throw new InvalidMarketDataError({ file }, 'has no data rows (empty or header-only file)');
  return out;
}

/**
 * The bars with their distributions: every bar from the first through the record's last
 * ex-date carries `dividend` (the amount on an ex-date, else 0), and bars after it none (the
 * record does not say what was paid then: price-only from there). Every ex-date must be a day
 * with a bar, and an amount must be below the previous close (a distribution is a fraction of
 * the price, never more): otherwise the record does not belong to this price file.
 */
export function withDistributions(bars: Bar[], d: Distributions): Bar[] {
  const at = new Map(bars.map((b, i) => [b.date, i]));
  for (let k = 0; k < d.dates.length; k++) {
    const i = at.get(d.dates[k]);
    if (i === undefined) throw new InvalidMarketDataError({ file: d.file, row: d.lines[k], field: 'ex_date' }, `${d.dates[k]} is not a trading day in the price file`);
    const before = bars[Math.max(0, i - 1)].close;
    if (!(d.amounts[k] < before)) throw new InvalidMarketDataError({ file: d.file, row: d.lines[k], field: 'amount' }, `${d.amounts[k]} per share is not below the previous close ${before}`);
  }
  const last = d.dates[d.dates.length - 1];
  const amount = new Map(d.dates.map((x, k) => [x, d.amounts[k]]));
  return bars.map((b) => (b.date <= last ? { ...b, dividend: amount.get(b.date) ?? 0 } : b));
}
