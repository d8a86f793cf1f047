import { InvalidMarketDataError } from '../errors';
import { isIsoDate, toUtcDate } from '../util/dates';
import { plausibleRange, type Bar } from './bars';

/** Repairable problems: counted and reported, never fatal. */
export interface IngestWarnings {
  openOutsideRange: number;
  closeOutsideRange: number;
  blankOpen: number;
  missingVolume: number;
  /** Gaps of more than 4 calendar days between consecutive bars (holiday weeks, halts). */
  calendarGaps: number;
}

export function emptyWarnings(): IngestWarnings {
  return { openOutsideRange: 0, closeOutsideRange: 0, blankOpen: 0, missingVolume: 0, calendarGaps: 0 };
}

export function addWarnings(a: IngestWarnings, b: IngestWarnings): IngestWarnings {
  return {
    openOutsideRange: a.openOutsideRange + b.openOutsideRange,
    closeOutsideRange: a.closeOutsideRange + b.closeOutsideRange,
    blankOpen: a.blankOpen + b.blankOpen,
    missingVolume: a.missingVolume + b.missingVolume,
    calendarGaps: a.calendarGaps + b.calendarGaps,
  };
}

/** Where each bar came from, for error messages: file name and 1-based line per bar. */
export interface BarOrigin {
  file: string;
  lines?: number[];
}

const DAY_MS = 86_400_000;

/**
 * Validates one symbol's bars (already parsed into numbers). Throws InvalidMarketDataError
 * on the first fatal problem, naming file, row and field; returns counted warnings.
 */
export function validateBars(symbol: string, bars: Bar[], origin: BarOrigin): IngestWarnings {
  const w = emptyWarnings();
  const [lo, hi] = plausibleRange(symbol);
  const at = (i: number, field?: string) => ({ file: origin.file, row: origin.lines?.[i] ?? i + 2, field });
  if (bars.length === 0) throw new InvalidMarketDataError({ file: origin.file }, `no rows for ${symbol}`);
  for (let i = 0; i < bars.length; i++) {
    const b = bars[i];
    if (!isIsoDate(b.date)) throw new InvalidMarketDataError(at(i, 'date'), `unparsable date "${b.date}" (expected YYYY-MM-DD)`);
    if (i > 0) {
      const prev = bars[i - 1].date;
      if (b.date === prev) throw new InvalidMarketDataError(at(i, 'date'), `duplicate date ${b.date}`);
      if (b.date < prev) throw new InvalidMarketDataError(at(i, 'date'), `dates not ascending: ${b.date} after ${prev}`);
      if ((toUtcDate(b.date).getTime() - toUtcDate(prev).getTime()) / DAY_MS > 4) w.calendarGaps++;
    }
    for (const field of ['high', 'low', 'close'] as const) {
      const v = b[field];
      if (!Number.isFinite(v)) throw new InvalidMarketDataError(at(i, field), `missing or non-numeric ${field}`);
      if (v <= 0) throw new InvalidMarketDataError(at(i, field), `non-positive price ${v}`);
    }
    if (b.high < b.low) throw new InvalidMarketDataError(at(i, 'high'), `high ${b.high} < low ${b.low}`);
    if (b.close < lo || b.close > hi) {
      throw new InvalidMarketDataError(
        at(i, 'close'),
        `close ${b.close} outside the plausible range [${lo}, ${hi}] for ${symbol}; is the file mapped to the wrong series (e.g. the VIXY ETF instead of the ^VIX index)?`,
      );
    }
    if (b.adjClose !== null && !(b.adjClose > 0)) throw new InvalidMarketDataError(at(i, 'adj_close'), `non-positive adj_close ${b.adjClose}`);
    if (b.open === null) w.blankOpen++;
    else if (!(b.open > 0)) throw new InvalidMarketDataError(at(i, 'open'), `non-positive price ${b.open}`);
    else if (b.open > b.high || b.open < b.low) w.openOutsideRange++;
    if (b.close > b.high || b.close < b.low) w.closeOutsideRange++;
    if (b.volume === null) w.missingVolume++;
    else if (!(b.volume >= 0)) throw new InvalidMarketDataError(at(i, 'volume'), `negative or non-numeric volume ${b.volume}`);
  }
  return w;
}
