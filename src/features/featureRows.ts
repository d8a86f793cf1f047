import { InsufficientDataError } from '../errors';
import { computeMarketFeatures, type FeatureMatrix, type MarketFeatureInputs } from './marketFeatures';
import type { Panel } from './panel';
import { computeSymbolFeatures, SIGNAL_SYMBOL_FEATURE_NAMES } from './signalFeatures';

export type FeatureTask = 'strategy' | 'signal';

/** The market "symbol" of the strategy task (one row per day). */
export const STRATEGY_ROW_SYMBOL = 'SPY';

export interface TaskFeatures {
  names: string[];
  symbols: string[];
  /** Symbol k's matrix, aligned with the panel's calendar (NaN where not computable); computed on demand, so a large universe is never held all at once. */
  matrix(k: number): FeatureMatrix;
}

/**
 * The one place feature rows are assembled, for the dataset builder and for prediction alike,
 * so the rows a model is trained on and the rows it serves are built by the same code.
 * strategy: the 10 market features; signal: each symbol's own features then the market's.
 * `marketInputs` (the cross-section and put/call source) is fixed when the dataset is built and
 * stored with it, so serving computes the market features over the same members.
 */
export function taskFeatures(panel: Panel, task: FeatureTask, signalSymbols: string[], marketInputs: MarketFeatureInputs): TaskFeatures {
  const market = computeMarketFeatures(panel, marketInputs);
  if (task === 'strategy') return { names: market.names, symbols: [STRATEGY_ROW_SYMBOL], matrix: () => market };
  const symbols = signalSymbols.filter((s) => panel.price.has(s));
  if (symbols.length === 0) throw new InsufficientDataError(`none of the signal symbols [${signalSymbols.join(', ')}] has bars`);
  const names = [...SIGNAL_SYMBOL_FEATURE_NAMES, ...market.names];
  return {
    names,
    symbols,
    matrix(k: number): FeatureMatrix {
      const own = computeSymbolFeatures(panel, symbols[k]);
      const n = own.rows;
      const a = own.names.length;
      const d = a + market.names.length;
      const values = new Float64Array(n * d);
      for (let t = 0; t < n; t++) {
        values.set(own.values.subarray(t * a, (t + 1) * a), t * d);
        values.set(market.values.subarray(t * market.names.length, (t + 1) * market.names.length), t * d + a);
      }
      return { names, values, rows: n };
    },
  };
}

/**
 * Row t of one symbol's matrix in float32 precision (how datasets store features, so a served
 * row equals its training row bit for bit), or null when any feature is missing that day.
 */
export function featureRow(f: FeatureMatrix, t: number): Float64Array | null {
  const d = f.names.length;
  const row = Float64Array.from(Float32Array.from(f.values.subarray(t * d, (t + 1) * d)));
  return row.every(Number.isFinite) ? row : null;
}
