import { isFresh, type Panel } from '../features/panel';
import { pctChange, rollingStd } from '../features/rolling';

export const SIGNAL_CLASSES = ['sell', 'hold', 'buy'] as const;

export interface SignalLabelConfig {
  horizon: number;
  /** Trading days between the decision (close t) and the trade (1 = next close). */
  executionLag: number;
  /**
   * `volatility` (default): buy / sell when the forward return is beyond ±k·σ·√h, σ the
   * symbol's trailing daily volatility at t (triple-barrier style), so "hold" means "small for
   * this stock now" in every regime; `fixed`: beyond buyThreshold / sellThreshold.
   */
  thresholds: { mode: 'volatility' | 'fixed'; k: number; volWindow: number };
  buyThreshold: number;
  sellThreshold: number;
}

/**
 * Forward return of `symbol` over return days t+lag+1 .. t+lag+h -> sell(0) / hold(1) / buy(2);
 * -1 if unknown, or when the symbol has no bar of its own at the trade (t+lag) or at the
 * window's end (t+lag+h). The threshold at t uses only returns up to t.
 */
export function labelSignals(panel: Panel, symbol: string, cfg: SignalLabelConfig): { label: Int32Array; forwardReturn: Float64Array } {
  if (cfg.thresholds.mode === 'fixed' && !(cfg.sellThreshold < cfg.buyThreshold)) throw new RangeError(`sellThreshold (${cfg.sellThreshold}) must be below buyThreshold (${cfg.buyThreshold})`);
  if (cfg.thresholds.mode === 'volatility' && !(cfg.thresholds.k > 0)) throw new RangeError(`signal thresholds.k must be > 0, got ${cfg.thresholds.k}`);
  const p = panel.price.get(symbol)!;
  const n = p.length;
  const label = new Int32Array(n).fill(-1);
  const fwd = new Float64Array(n).fill(NaN);
  // sigma at t: standard deviation of the daily returns over (t - w, t], past only.
  const sigma = cfg.thresholds.mode === 'volatility' ? rollingStd(pctChange(p, 1), cfg.thresholds.volWindow) : null;
  const lag = cfg.executionLag;
  for (let t = 0; t + lag + cfg.horizon < n; t++) {
    // A real bar at the trade and at the window's end: a close carried past a series' last bar
    // (a delisting, a file that stops) would read as a flat return, labelled "hold".
    if (!isFresh(panel, symbol, t + lag) || !isFresh(panel, symbol, t + lag + cfg.horizon)) continue;
    const r = p[t + lag + cfg.horizon] / p[t + lag] - 1;
    if (!Number.isFinite(r)) continue;
    let up = cfg.buyThreshold;
    let down = cfg.sellThreshold;
    if (sigma) {
      if (!Number.isFinite(sigma[t])) continue;
      up = cfg.thresholds.k * sigma[t] * Math.sqrt(cfg.horizon);
      down = -up;
    }
    fwd[t] = r;
    label[t] = r > up ? 2 : r < down ? 0 : 1;
  }
  return { label, forwardReturn: fwd };
}
