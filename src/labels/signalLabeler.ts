import type { Panel } from '../features/panel';

export const SIGNAL_CLASSES = ['sell', 'hold', 'buy'] as const;

export interface SignalLabelConfig {
  horizon: number;
  /** Forward return above this is "buy". */
  buyThreshold: number;
  /** Forward return below this is "sell". */
  sellThreshold: number;
}

export const DEFAULT_SIGNAL_LABELS: SignalLabelConfig = { horizon: 5, buyThreshold: 0.01, sellThreshold: -0.01 };

/** Forward return of `symbol` over the horizon -> sell(0) / hold(1) / buy(2); -1 if unknown. */
export function labelSignals(panel: Panel, symbol: string, cfg: SignalLabelConfig): { label: Int32Array; forwardReturn: Float64Array; next: Float64Array } {
  if (!(cfg.sellThreshold < cfg.buyThreshold)) throw new RangeError(`sellThreshold (${cfg.sellThreshold}) must be below buyThreshold (${cfg.buyThreshold})`);
  const p = panel.price.get(symbol)!;
  const n = p.length;
  const label = new Int32Array(n).fill(-1);
  const fwd = new Float64Array(n).fill(NaN);
  const next = new Float64Array(n).fill(NaN);
  for (let t = 0; t + 1 < n; t++) next[t] = p[t + 1] / p[t] - 1;
  for (let t = 0; t + cfg.horizon < n; t++) {
    const r = p[t + cfg.horizon] / p[t] - 1;
    if (!Number.isFinite(r)) continue;
    fwd[t] = r;
    label[t] = r > cfg.buyThreshold ? 2 : r < cfg.sellThreshold ? 0 : 1;
  }
  return { label, forwardReturn: fwd, next };
}
