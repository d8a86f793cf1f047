import { InvalidMarketDataError } from '../errors';
import { isIsoDate, toUtcDate } from '../util/dates';
import { plausibleRange, type Bar } from './bars';
import type { SeriesPolicy } from './checkPolicy';

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

/** Consecutive bars more than GAP_DAYS calendar days apart. */
export interface Gap {
  from: string;
  to: string;
  calendarDays: number;
}

/** A bad row left out under `quarantine`, with what it held. */
export interface QuarantinedRow {
  symbol: string;
  file: string;
  row: number;
  date: string;
  field: string;
  reason: string;
  raw: { open: number | null; high: number; low: number; close: number; adj_close: number | null; volume: number | null };
}

export interface SeriesCheck {
  /** The accepted bars (every bar under `reject`), in order. */
  bars: Bar[];
  warnings: IngestWarnings;
  gaps: Gap[];
  quarantined: QuarantinedRow[];
}

export const DEFAULT_SERIES_POLICY: SeriesPolicy = { onBadRow: 'reject', maxDailyMove: null };

const DAY_MS = 86_400_000;
const GAP_DAYS = 4;
/** A jump that persists this many rows is a level shift, not a bad tick: dropping rows cannot fix it. */
const LEVEL_SHIFT_ROWS = 3;
/** Quarantine is for a handful of bad rows; more than this share of a file means a wrong file. */
const MAX_QUARANTINED_SHARE = 0.01;
const MIN_QUARANTINE_BUDGET = 10;

const pct = (r: number) => `${r >= 0 ? '+' : ''}${(100 * r).toFixed(1)}%`;

/** The price two bars are compared on: adj_close when both have it (it carries splits), else close. */
function movePrices(prev: Bar, cur: Bar): { field: 'adj_close' | 'close'; prev: number; cur: number } {
  return prev.adjClose !== null && cur.adjClose !== null ? { field: 'adj_close', prev: prev.adjClose, cur: cur.adjClose } : { field: 'close', prev: prev.close, cur: cur.close };
}

/** The first bad-row problem of a bar (a problem dropping the row repairs), or null. */
function rowProblem(b: Bar): { field: string; reason: string } | null {
  for (const field of ['high', 'low', 'close'] as const) {
    const v = b[field];
    if (!Number.isFinite(v)) return { field, reason: `missing or non-numeric ${field}` };
    if (v <= 0) return { field, reason: `non-positive price ${v}` };
  }
  if (b.high < b.low) return { field: 'high', reason: `high ${b.high} < low ${b.low}` };
  if (b.adjClose !== null && !(b.adjClose > 0)) return { field: 'adj_close', reason: `non-positive adj_close ${b.adjClose}` };
  if (b.open !== null && !(b.open > 0)) return { field: 'open', reason: `non-positive price ${b.open}` };
  if (b.volume !== null && !(b.volume >= 0)) return { field: 'volume', reason: `negative or non-numeric volume ${b.volume}` };
  return null;
}

/**
 * Checks one symbol's parsed bars. File-level problems (an unparsable, duplicate or unsorted
 * date; a close outside the series' plausible range, i.e. the wrong instrument) always throw.
 * A bad row — high < low, a non-positive price, or a close-to-close move beyond
 * `policy.maxDailyMove` (a bad tick or an unrecorded split) — throws under `reject` and is
 * left out and listed under `quarantine`. `prior` is the last stored bar: an incremental batch
 * is checked for a jump against it. Errors name file, row and field.
 */
export function checkSeries(symbol: string, bars: Bar[], origin: BarOrigin, policy: SeriesPolicy = DEFAULT_SERIES_POLICY, prior?: Bar): SeriesCheck {
  const w = emptyWarnings();
  const gaps: Gap[] = [];
  const quarantined: QuarantinedRow[] = [];
  const kept: Bar[] = [];
  const [lo, hi] = plausibleRange(symbol);
  const rowOf = (i: number) => origin.lines?.[i] ?? i + 2;
  const at = (i: number, field?: string) => ({ file: origin.file, row: rowOf(i), field });
  if (bars.length === 0) throw new InvalidMarketDataError({ file: origin.file }, `no rows for ${symbol}`);
  let last: { bar: Bar; row: number | null } | null = prior && prior.date < bars[0].date ? { bar: prior, row: null } : null;
  let shift: { index: number; move: number } | null = null;
  let jumpsInARow = 0;
  for (let i = 0; i < bars.length; i++) {
    const b = bars[i];
    if (!isIsoDate(b.date)) throw new InvalidMarketDataError(at(i, 'date'), `unparsable date "${b.date}" (expected YYYY-MM-DD)`);
    if (i > 0) {
      const prev = bars[i - 1].date;
      if (b.date === prev) throw new InvalidMarketDataError(at(i, 'date'), `duplicate date ${b.date}`);
      if (b.date < prev) throw new InvalidMarketDataError(at(i, 'date'), `dates not ascending: ${b.date} after ${prev}`);
      const days = (toUtcDate(b.date).getTime() - toUtcDate(prev).getTime()) / DAY_MS;
      if (days > GAP_DAYS) {
        w.calendarGaps++;
        gaps.push({ from: prev, to: b.date, calendarDays: days });
      }
    }
    let problem = rowProblem(b);
    if (!problem && (b.close < lo || b.close > hi)) {
      throw new InvalidMarketDataError(
        at(i, 'close'),
        `close ${b.close} outside the plausible range [${lo}, ${hi}] for ${symbol}; is the file mapped to the wrong series (e.g. the VIXY ETF instead of the ^VIX index)?`,
      );
    }
    let isJump = false;
    if (!problem && last && policy.maxDailyMove !== null) {
      const m = movePrices(last.bar, b);
      const move = m.cur / m.prev - 1;
      if (Math.abs(move) > policy.maxDailyMove) {
        const since = last.row === null ? `the last stored bar (${last.bar.date})` : `${last.bar.date} (row ${last.row})`;
        problem = { field: m.field, reason: `daily move of ${pct(move)} since ${since} exceeds the ±${(100 * policy.maxDailyMove).toFixed(0)}% limit for ${symbol} and no split explains it (a bad tick or an unrecorded split)` };
        isJump = true;
        if (jumpsInARow === 0) shift = { index: i, move };
      }
    }
    if (problem) {
      // The date as well: an online series has no file rows to point at.
      if (policy.onBadRow === 'reject') throw new InvalidMarketDataError(at(i, problem.field), `${problem.reason} (on ${b.date})`);
      if (isJump && ++jumpsInARow >= LEVEL_SHIFT_ROWS) {
        const s = shift!;
        throw new InvalidMarketDataError(
          at(s.index, problem.field),
          `price level shifts by ${pct(s.move)} and stays there for ${LEVEL_SHIFT_ROWS}+ rows: an unrecorded split, a different instrument, or a bad row before it; quarantine cannot repair a level shift`,
        );
      }
      quarantined.push({
        symbol,
        file: origin.file,
        row: rowOf(i),
        date: b.date,
        field: problem.field,
        reason: problem.reason,
        raw: { open: b.open, high: b.high, low: b.low, close: b.close, adj_close: b.adjClose, volume: b.volume },
      });
      continue;
    }
    jumpsInARow = 0;
    last = { bar: b, row: rowOf(i) };
    kept.push(b);
    if (b.open === null) w.blankOpen++;
    else if (b.open > b.high || b.open < b.low) w.openOutsideRange++;
    if (b.close > b.high || b.close < b.low) w.closeOutsideRange++;
    if (b.volume === null) w.missingVolume++;
  }
  const budget = Math.max(MIN_QUARANTINE_BUDGET, Math.floor(MAX_QUARANTINED_SHARE * bars.length));
  if (quarantined.length > budget) {
    const first = quarantined[0];
    throw new InvalidMarketDataError(
      { file: origin.file, row: first.row, field: first.field },
      `${quarantined.length} bad rows of ${bars.length} (first: ${first.reason}) — more than quarantine accepts (${budget}); is this the right file?`,
    );
  }
  return { bars: kept, warnings: w, gaps, quarantined };
}

/** Checks under `reject` and returns the counted warnings (the all-or-nothing check). */
export function validateBars(symbol: string, bars: Bar[], origin: BarOrigin, policy: SeriesPolicy = DEFAULT_SERIES_POLICY): IngestWarnings {
  return checkSeries(symbol, bars, origin, { ...policy, onBadRow: 'reject' }).warnings;
}
