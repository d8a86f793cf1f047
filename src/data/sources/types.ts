import type { Bar } from '../bars';
import type { BarOrigin } from '../validation';

/** Serializable description of where bars come from; travels in workflow input. */
export type SourceSpec =
  | { kind: 'synthetic'; seed?: number; start?: string; feed?: string; /** Plant a predictable momentum effect of this daily size (tests of the gate). */ planted?: number }
  | { kind: 'csv'; dir: string; files?: Record<string, string>; feed?: string }
  | { kind: 'online'; provider?: 'yahoo'; start?: string; feed?: string };

export interface SourceBatch {
  symbol: string;
  bars: Bar[];
  origin: BarOrigin;
}

export interface FetchRequest {
  symbols: string[];
  /** Inclusive upper bound: sources never return bars after this date. */
  until: string;
  /** Last stored bar per symbol, so incremental sources only fetch what is new. */
  lastStored: Map<string, string>;
}

export interface MarketSource {
  readonly feed: string;
  fetch(req: FetchRequest): Promise<SourceBatch[]>;
}

export function feedOf(spec: SourceSpec): string {
  if (spec.feed) return spec.feed;
  switch (spec.kind) {
    case 'synthetic':
      return `synthetic-${spec.seed ?? 42}${spec.planted ? `-planted-${spec.planted}` : ''}`;
    case 'csv':
      return 'csv';
    case 'online':
      return spec.provider ?? 'yahoo';
  }
}
