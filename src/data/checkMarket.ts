import { InvalidMarketDataError } from '../errors';
import { type Bar, PUT_CALL_SYMBOL, REQUIRED_SYMBOLS } from './bars';
import { ingestConfig, seriesPolicy, type IngestConfig } from './checkPolicy';
import type { CorporateActions } from './corporateActions';
import type { MarketSource, SourceBatch } from './sources/types';
import { checkSeries, type Gap, type IngestWarnings, type QuarantinedRow } from './validation';

/**
 * What `data validate` prints per symbol (a stable contract): rows/first/last describe the
 * rows accepted up to `until` (0/null when the file is rejected: nothing of it is stored),
 * warnings and errors are messages naming the file, quarantined lists each row left out.
 */
export interface SymbolReport {
  rows: number;
  first: string | null;
  last: string | null;
  warnings: string[];
  errors: string[];
  quarantined: QuarantinedRow[];
}

export interface MarketCheck {
  /** Accepted bars clipped to `until`, for every symbol without an error. */
  bars: Map<string, Bar[]>;
  reports: Record<string, SymbolReport>;
  counts: Record<string, IngestWarnings>;
  gaps: Record<string, Gap[]>;
  /** Rejections, in the order the symbols were asked for. */
  errors: InvalidMarketDataError[];
  /** Symbols the source does not have (optional series only: a missing required one is an error). */
  missing: string[];
  actions: Record<string, CorporateActions>;
  /** Symbols whose batch is a re-adjusted whole history (see SourceBatch.replacesHistory). */
  replacesHistory: string[];
}

export interface CheckOptions {
  symbols: string[];
  /** Inclusive: rows after it are validated (a bad row later still means a bad file) but not kept. */
  until: string;
  lastStored?: Map<string, string>;
  firstStored?: Map<string, string>;
  /** The last stored bar per symbol: an incremental batch must not jump away from it. */
  priorBars?: Map<string, Bar>;
  config?: IngestConfig;
}

function countMessages(file: string, c: IngestWarnings): string[] {
  const out: string[] = [];
  if (c.openOutsideRange) out.push(`${file}: ${c.openOutsideRange} rows with open outside high-low (kept)`);
  if (c.closeOutsideRange) out.push(`${file}: ${c.closeOutsideRange} rows with close outside high-low (kept)`);
  if (c.blankOpen) out.push(`${file}: ${c.blankOpen} rows with a blank open (kept)`);
  if (c.missingVolume) out.push(`${file}: ${c.missingVolume} rows without volume (kept)`);
  return out;
}

/**
 * The one check of a series that arrived without a single data row, shared by `data validate`,
 * `data ingest` and the workflow's ingest (all three go through checkMarket): a file read whole
 * with no rows is an empty or header-only file — an error for a required series, a warning
 * otherwise — even when the database already holds the series. Only an incremental source
 * (nothing new since the last stored bar) may return no rows for a stored series. Returns the
 * error to reject with, the warning to report, or null.
 */
export function emptySeriesCheck(o: { symbol: string; file: string; required: boolean; stored: boolean; whole: boolean }): { error: InvalidMarketDataError } | { warning: string } | null {
  if (o.stored && !o.whole) return null;
  if (o.required) return { error: new InvalidMarketDataError({ file: o.file }, `required series ${o.symbol} has no data rows (empty or header-only file)`) };
  return { warning: `${o.file} has no data rows (empty or header-only file): ${o.symbol} is ${o.stored ? 'not updated (the stored rows are kept)' : 'left out'}` };
}

const emptyReport = (): SymbolReport => ({ rows: 0, first: null, last: null, warnings: [], errors: [], quarantined: [] });

/**
 * Fetches and checks every asked-for series without writing anything and without stopping at
 * the first bad file: each symbol gets its report. Ingest writes only when `errors` is empty.
 */
export async function checkMarket(source: MarketSource, opts: CheckOptions): Promise<MarketCheck> {
  const cfg = opts.config ?? ingestConfig();
  const lastStored = opts.lastStored ?? new Map<string, string>();
  const batches = await source.fetch({ symbols: opts.symbols, until: opts.until, lastStored, firstStored: opts.firstStored });
  const bySymbol = new Map<string, SourceBatch>(batches.map((b) => [b.symbol, b]));
  const out: MarketCheck = { bars: new Map(), reports: {}, counts: {}, gaps: {}, errors: [], missing: [], actions: {}, replacesHistory: [] };
  for (const symbol of opts.symbols) {
    const b = bySymbol.get(symbol);
    const report = emptyReport();
    const reject = (e: InvalidMarketDataError) => {
      report.errors.push(e.message);
      out.errors.push(e);
    };
    const required = REQUIRED_SYMBOLS.includes(symbol);
    const stored = lastStored.has(symbol);
    if (!b || b.missing) {
      const where = b?.origin.file ?? `${source.feed}:${symbol}`;
      if (required && !stored) reject(new InvalidMarketDataError({ file: where }, `required series ${symbol} is missing from the source`));
      else if (!stored) {
        out.missing.push(symbol);
        report.warnings.push(`${where} not found${symbol === PUT_CALL_SYMBOL ? ': put_call_ratio uses its proxy' : `: ${symbol} is left out`}`);
      }
      out.reports[symbol] = report;
      continue;
    }
    const file = b.origin.file;
    if (b.actions) out.actions[symbol] = b.actions;
    if (b.error) reject(b.error);
    else if (b.bars.length === 0) {
      const empty = emptySeriesCheck({ symbol, file, required, stored, whole: b.whole === true });
      if (empty && 'error' in empty) reject(empty.error);
      else if (empty) report.warnings.push(empty.warning);
    } else {
      try {
        const c = checkSeries(symbol, b.bars, b.origin, seriesPolicy(symbol, cfg), opts.priorBars?.get(symbol));
        const kept = c.bars.filter((x) => x.date <= opts.until);
        if (kept.length === 0 && required && !stored) throw new InvalidMarketDataError({ file }, `required series ${symbol} has no rows on or before ${opts.until}`);
        out.bars.set(symbol, kept);
        if (b.replacesHistory) out.replacesHistory.push(symbol);
        out.counts[symbol] = c.warnings;
        out.gaps[symbol] = c.gaps;
        report.rows = kept.length;
        report.first = kept[0]?.date ?? null;
        report.last = kept.at(-1)?.date ?? null;
        report.quarantined = c.quarantined;
        report.warnings.push(
          ...countMessages(file, c.warnings),
          ...c.gaps.map((g) => `${file}: no rows from ${g.from} to ${g.to} (${g.calendarDays} calendar days)`),
        );
      } catch (e) {
        if (!(e instanceof InvalidMarketDataError)) throw e;
        reject(e);
      }
    }
    out.reports[symbol] = report;
  }
  return out;
}
