import type { InvalidMarketDataError } from '../../errors';
import type { Bar } from '../bars';
import type { CorporateActions } from '../corporateActions';
import type { BarOrigin } from '../validation';
import type { RateSeries } from '../rates';

/** The planted edge's shape: it reverses sign from `reverseOn` (concept drift), or exists only on days whose VIX close is at least `minVix` (stress days). */
export interface PlantedShape {
  reverseOn?: string;
  minVix?: number;
}

/** Serializable description of where bars come from; travels in workflow input. */
export type SourceSpec =
  | { kind: 'synthetic'; seed?: number; start?: string; feed?: string; stocks?: number; /** Plant a predictable, volume-revealed edge of this daily size (tests of the gate). */ planted?: number; /** How the planted edge varies (the study's known effects). */ plantedShape?: PlantedShape }
  | { kind: 'csv'; dir: string; files?: Record<string, string>; feed?: string; /** A FRED-format cash-rate file (e.g. DTB3.csv); default: DTB3.csv in the folder, if there. */ cashRateFile?: string }
  | { kind: 'online'; provider?: 'yahoo'; start?: string; feed?: string };

export interface SourceBatch {
  symbol: string;
  bars: Bar[];
  origin: BarOrigin;
  /** The file could not be read or parsed: the symbol is rejected, the others still checked. */
  error?: InvalidMarketDataError;
  /** The source has no such series (no file, unknown ticker); `bars` is empty. */
  missing?: boolean;
  /**
   * `bars` is everything the source holds for the series (a file read whole), never "what is new
   * since the last stored bar": no rows then means an empty or header-only file, whatever the
   * database already holds (a failed download must not pass as "nothing new").
   */
  whole?: boolean;
  /** Splits and dividends the provider reported for the fetched period. */
  actions?: CorporateActions;
  /**
   * `bars` is the series' whole history, re-adjusted after a corporate action: the store
   * replaces every stored row (keeping the old versions) instead of appending.
   */
  replacesHistory?: boolean;
}

export interface FetchRequest {
  symbols: string[];
  /** Inclusive upper bound: sources never return bars after this date. */
  until: string;
  /** Last stored bar per symbol, so incremental sources only fetch what is new. */
  lastStored: Map<string, string>;
  /** First stored bar per symbol: a re-adjustment must re-fetch at least from there. */
  firstStored?: Map<string, string>;
}

/** Names a source can list (`--symbols all`), and names it refused to turn into symbols. */
export interface SymbolListing {
  symbols: string[];
  /** Already quoted with quoteUntrusted: safe to print. */
  skipped: { name: string; reason: string }[];
}

export interface MarketSource {
  readonly feed: string;
  fetch(req: FetchRequest): Promise<SourceBatch[]>;
  /** Every series the source holds; absent where the source cannot list (the online feed). */
  listSymbols?(): Promise<SymbolListing>;
  /** The cash-rate series (FRED format) the source carries, or null: backtests then use a documented constant. */
  cashRates?(): Promise<RateSeries | null>;
}

export function feedOf(spec: SourceSpec): string {
  if (spec.feed) return spec.feed;
  switch (spec.kind) {
    case 'synthetic':
      return `synthetic-${spec.seed ?? 42}${spec.planted ? `-planted-${spec.planted}` : ''}${spec.plantedShape?.reverseOn ? `-reverse-${spec.plantedShape.reverseOn}` : ''}${spec.plantedShape?.minVix ? `-vix-${spec.plantedShape.minVix}` : ''}`;
    case 'csv':
      return 'csv';
    case 'online':
      return spec.provider ?? 'yahoo';
  }
}
