import type { SymbolSelection } from '../data/symbols';

/** `--symbols` merged into `--config` overrides as `dataset.signal.symbols` (the flag wins). */
export function withSignalSymbols(config: Record<string, unknown> | undefined, symbols: SymbolSelection | undefined): Record<string, unknown> | undefined {
  if (symbols === undefined) return config;
  const base = config ?? {};
  const dataset = (base.dataset ?? {}) as Record<string, unknown>;
  const signal = (dataset.signal ?? {}) as Record<string, unknown>;
  return { ...base, dataset: { ...dataset, signal: { ...signal, symbols } } };
}
