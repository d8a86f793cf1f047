import { InvalidMarketDataError } from '../errors';
import { isIsoDate } from '../util/dates';

/** A FRED daily series as downloaded: annualised percent per observation date, NaN = blank. */
export interface RateSeries {
  id: string;
  file: string;
  dates: string[];
  values: Float64Array;
}

/**
 * Parses FRED's CSV download (`observation_date,<SERIES_ID>`, one ISO date per line, strictly
 * ascending). Blank values (or FRED's "." marker) are days without an observation: holidays
 * and market closures. Negative values are legitimate (T-bills traded below zero in 2015 and
 * 2020). Errors name the file, line (header = 1) and field.
 */
export function parseFredCsv(text: string, file: string, expectedId?: string): RateSeries {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  if (header.length !== 2 || header[0] !== 'observation_date') {
    throw new InvalidMarketDataError({ file, row: 1, field: 'observation_date' }, `expected header "observation_date,<SERIES_ID>", got "${lines[0] ?? ''}"`);
  }
  const id = header[1];
  if (id === '') throw new InvalidMarketDataError({ file, row: 1 }, 'header names no series');
  if (expectedId !== undefined && id !== expectedId) throw new InvalidMarketDataError({ file, row: 1, field: id }, `expected series ${expectedId}, file holds ${id}`);
  const dates: string[] = [];
  const values: number[] = [];
  for (let li = 1; li < lines.length; li++) {
    const raw = lines[li];
    if (raw.trim() === '') continue;
    const row = li + 1;
    const f = raw.split(',').map((x) => x.trim());
    if (f.length !== 2) throw new InvalidMarketDataError({ file, row }, `expected 2 fields, got ${f.length}`);
    const [date, v] = f;
    if (!isIsoDate(date)) throw new InvalidMarketDataError({ file, row, field: 'observation_date' }, `"${date}" is not an ISO date (YYYY-MM-DD)`);
    if (dates.length > 0 && date <= dates[dates.length - 1]) throw new InvalidMarketDataError({ file, row, field: 'observation_date' }, `${date} is not after the previous date ${dates[dates.length - 1]}`);
    let value = NaN;
    if (v !== '' && v !== '.') {
      value = Number(v);
      if (!Number.isFinite(value) || !/^-?\d*\.?\d+(e[-+]?\d+)?$/i.test(v)) throw new InvalidMarketDataError({ file, row, field: id }, `"${v}" is not a number`);
    }
    dates.push(date);
    values.push(value);
  }
  if (dates.length === 0) throw new InvalidMarketDataError({ file }, 'no observations');
  return { id, file, dates, values: Float64Array.from(values) };
}

/**
 * FRED's T-bill series quoted on a bank-discount basis, and the bills' days to maturity. A
 * discount rate is a return per face value over a 360-day year; what cash earns is a return
 * per price paid over a 365-day year (the bond-equivalent, or investment, yield).
 */
export const DISCOUNT_BASIS_DAYS: Record<string, number> = { DTB4WK: 28, DTB3: 91, DTB6: 182, DTB1YR: 364 };

/**
 * Bond-equivalent yield (percent) of a bill quoted at `discountPct` on a discount basis with
 * `days` to maturity (Treasury's "investment rate"): for up to half a year
 * 365·d / (360 − d·t); for longer bills the semi-annual compounding form.
 */
export function bondEquivalentYield(discountPct: number, days: number): number {
  const d = discountPct / 100;
  const price = 1 - (d * days) / 360;
  if (!(price > 0)) throw new RangeError(`bondEquivalentYield: a ${discountPct}% discount over ${days} days leaves no price`);
  if (days <= 182) return (100 * 365 * d) / (360 - d * days);
  // Solves price · (1 + y/2) · (1 + (t/365 − 1/2)·y) = 1 for y.
  const a = days / 365 - 0.5;
  const b = days / 365;
  const c = 1 - 1 / price;
  return (100 * (-b + Math.sqrt(b * b - 2 * a * c))) / a;
}

/** A simple daily cash rate per trading day, and where it came from (for the report). */
export interface DailyCashRate {
  /** Per trading-calendar day: the simple rate earned over that day (NaN where unknown). */
  daily: Float64Array;
  source: string;
  /** Largest number of calendar days between a trading day and the observation it used. */
  maxStaleDays: number;
  /** Trading days with no earlier observation at all (NaN in `daily`). */
  unknownDays: number;
}

const DAY_MS = 86_400_000;

/**
 * The cash rate of each trading day t: the last non-blank observation dated strictly before
 * t, carried forward over blanks and gaps, / 100 / periodsPerYear. Strictly before, because a
 * rate printed on day t is not known when day t's position is taken. For DTB3 this is a proxy
 * for the return on cash: a 3-month bill's discount-basis yield, not an overnight rate.
 */
export function laggedDailyCashRate(series: RateSeries, calendar: string[], periodsPerYear = 252): DailyCashRate {
  const daily = new Float64Array(calendar.length).fill(NaN);
  const maturity = DISCOUNT_BASIS_DAYS[series.id.toUpperCase()];
  const annual = (v: number) => (maturity === undefined ? v : bondEquivalentYield(v, maturity));
  let j = 0;
  let lastValue = NaN;
  let lastDate = '';
  let maxStale = 0;
  let unknown = 0;
  for (let t = 0; t < calendar.length; t++) {
    if (t > 0 && calendar[t] <= calendar[t - 1]) throw new RangeError(`laggedDailyCashRate: calendar is not ascending at ${calendar[t]}`);
    while (j < series.dates.length && series.dates[j] < calendar[t]) {
      if (Number.isFinite(series.values[j])) {
        lastValue = series.values[j];
        lastDate = series.dates[j];
      }
      j++;
    }
    if (Number.isNaN(lastValue)) {
      unknown++;
      continue;
    }
    daily[t] = annual(lastValue) / 100 / periodsPerYear;
    maxStale = Math.max(maxStale, Math.round((Date.parse(calendar[t]) - Date.parse(lastDate)) / DAY_MS));
  }
  const basis = maturity === undefined ? '' : `, discount basis -> bond-equivalent yield (${maturity}-day bill)`;
  return { daily, source: `${series.id} (${series.file}), last value dated before each day${basis}, /100/${periodsPerYear}`, maxStaleDays: maxStale, unknownDays: unknown };
}

/** A documented constant instead of a rate series (when none is ingested). */
export function constantDailyCashRate(days: number, annualRate: number, periodsPerYear = 252): DailyCashRate {
  if (!Number.isFinite(annualRate)) throw new RangeError(`constantDailyCashRate: annual rate must be finite, got ${annualRate}`);
  return { daily: new Float64Array(days).fill(annualRate / periodsPerYear), source: `constant ${(annualRate * 100).toFixed(2)}% a year, /${periodsPerYear}`, maxStaleDays: 0, unknownDays: 0 };
}
