import { InvalidConfigError } from '../errors';
import { BOND_SYMBOL, MARKET_INPUT_SYMBOLS, MARKET_SYMBOL, PUT_CALL_SYMBOL, VOL_INDEX_SYMBOL } from './bars';
import { createSource } from './sources';
import type { MarketSource, SourceSpec, SymbolListing } from './sources/types';
import { uniqueSymbols, type SymbolSelection } from './symbols';

/**
 * Never signal symbols under `all`: the market itself (its beta is 1 by definition), the bond
 * leg of the strategy task, and the VIX and put/call series, which are not tradable prices.
 */
const NOT_SIGNAL = new Set<string>([MARKET_SYMBOL, BOND_SYMBOL, VOL_INDEX_SYMBOL, PUT_CALL_SYMBOL]);

/** The market features' fixed inputs: SPY, TLT, VIX, the sector ETFs and the optional put/call series. */
export const MARKET_INPUTS: string[] = [...MARKET_INPUT_SYMBOLS, PUT_CALL_SYMBOL];

/** What one run reads: the fixed market inputs and the user's signal symbols. */
export interface RunUniverse {
  /** SPY, TLT, VIX, the sector ETFs (always), then PCR (optional: a proxy replaces it). */
  marketInputs: string[];
  /** The stocks the signal task learns on, resolved (an `all` selection listed from the source). */
  signalSymbols: string[];
  selection: 'list' | 'all';
  /** Files a listing refused (hostile or malformed names), already quoted for printing. */
  skipped: SymbolListing['skipped'];
}

/** The run-config fields the universe depends on. */
export interface UniverseConfig {
  source: SourceSpec;
  config: { dataset: { signal: { symbols: SymbolSelection } } };
}

/** Every symbol an ingest reads for the run: market inputs first, then the signal symbols. */
export function universeSymbols(u: RunUniverse): string[] {
  return uniqueSymbols([...u.marketInputs, ...u.signalSymbols]);
}

/**
 * Resolves a run's universe. An explicit list is used as given; `all` is every series the
 * source lists minus SPY/TLT/VIX/PCR (a CSV folder: every valid `<SYMBOL>.csv`). The online
 * source cannot list, so `all` there is a configuration error.
 */
export async function runUniverse(run: UniverseConfig, source: MarketSource = createSource(run.source)): Promise<RunUniverse> {
  return resolveUniverse(run.config.dataset.signal.symbols, source);
}

/** runUniverse for a selection and a source object (benchmarks, in-memory builds). */
export async function resolveUniverse(selection: SymbolSelection, source: MarketSource): Promise<RunUniverse> {
  const marketInputs = [...MARKET_INPUTS];
  if (selection !== 'all') return { marketInputs, signalSymbols: uniqueSymbols(selection), selection: 'list', skipped: [] };
  if (!source.listSymbols) throw new InvalidConfigError(`signal symbols "all" needs a source that can list its series (a CSV folder or the synthetic market); feed ${source.feed} cannot: name the symbols`);
  const listing = await source.listSymbols();
  const signalSymbols = listing.symbols.filter((s) => !NOT_SIGNAL.has(s));
  if (signalSymbols.length === 0) throw new InvalidConfigError(`signal symbols "all": feed ${source.feed} holds no series besides the market inputs`);
  return { marketInputs, signalSymbols, selection: 'all', skipped: listing.skipped };
}

/**
 * Every series a run reads when its signal symbols are an explicit list (synchronous, for
 * code that has no source at hand); `all` has to be listed from the source: use runUniverse.
 */
export function runSymbols(cfg: { signal: { symbols: SymbolSelection } }): string[] {
  const sel = cfg.signal.symbols;
  if (sel === 'all') throw new InvalidConfigError('signal symbols "all" must be resolved against the source: call runUniverse(runConfig)');
  return uniqueSymbols([...MARKET_INPUTS, ...sel]);
}

export interface SymbolRange {
  rows: number;
  first: string | null;
  last: string | null;
}

/** The universe a run used, for its report: size and first/last date per symbol. */
export interface UniverseSummary {
  selection: RunUniverse['selection'];
  /** Signal symbols with at least one stored bar up to as-of. */
  size: number;
  signal: ({ symbol: string } & SymbolRange)[];
  marketInputs: ({ symbol: string } & SymbolRange)[];
  /** Asked-for symbols without any bar up to as-of. */
  absent: string[];
  skipped: SymbolListing['skipped'];
}

export function universeSummary(u: RunUniverse, ranges: Map<string, SymbolRange> | Record<string, SymbolRange>): UniverseSummary {
  const get = (s: string): SymbolRange => (ranges instanceof Map ? ranges.get(s) : ranges[s]) ?? { rows: 0, first: null, last: null };
  const rows = (list: string[]) => list.map((symbol) => ({ symbol, ...get(symbol) }));
  const signal = rows(u.signalSymbols);
  return {
    selection: u.selection,
    size: signal.filter((s) => s.rows > 0).length,
    signal,
    marketInputs: rows(u.marketInputs),
    absent: universeSymbols(u).filter((s) => get(s).rows === 0 && s !== PUT_CALL_SYMBOL),
    skipped: u.skipped,
  };
}

/**
 * The signal symbols among the series actually loaded: an explicit list keeps its order and
 * drops what has no bars; `all` is every loaded series except SPY/TLT/VIX/PCR.
 */
export function signalSymbolsOf(selection: SymbolSelection, loaded: Iterable<string>): string[] {
  const have = [...loaded];
  return selection === 'all' ? have.filter((s) => !NOT_SIGNAL.has(s)) : selection.filter((s) => have.includes(s));
}
