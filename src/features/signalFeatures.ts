import { MARKET_SYMBOL } from '../data/bars';
import type { FeatureMatrix } from './featureMatrix';
import type { Panel } from './panel';
import { ema, logReturns, pctChange, rollingMax, rollingMean, rollingMin, rollingStd, windowCorrelation } from './rolling';

/**
 * Per-symbol technical features (Alpha158-like), each using data up to day t only.
 * The market features are appended by the dataset builder.
 */
const RET_WINDOWS = [1, 5, 10, 20, 60, 120];
const VOL_WINDOWS = [5, 10, 20, 60];
const MA_WINDOWS = [5, 10, 20, 60];

export const SIGNAL_SYMBOL_FEATURE_NAMES = [
  ...RET_WINDOWS.map((w) => `ret_${w}d`),
  ...VOL_WINDOWS.map((w) => `vol_${w}d`),
  ...MA_WINDOWS.map((w) => `close_over_ma${w}`),
  'rsi_6',
  'rsi_14',
  'macd',
  'macd_signal',
  'macd_hist',
  'bollinger_position',
  'atr_14_pct',
  'volume_z_20',
  'volume_ratio_5_20',
  'dist_high_252',
  'dist_low_252',
  'dist_high_20',
  'dist_low_20',
  'beta_spy_60',
  'corr_spy_60',
  'excess_ret_20d',
];

function rsi(price: Float64Array, w: number): Float64Array {
  const out = new Float64Array(price.length).fill(NaN);
  for (let t = w; t < price.length; t++) {
    let up = 0;
    let down = 0;
    for (let k = t - w + 1; k <= t; k++) {
      const ch = price[k] - price[k - 1];
      if (ch > 0) up += ch;
      else down -= ch;
    }
    out[t] = up + down > 0 ? (100 * up) / (up + down) : 50;
  }
  return out;
}

export function computeSymbolFeatures(panel: Panel, symbol: string): FeatureMatrix {
  const n = panel.dates.length;
  const p = panel.price.get(symbol)!;
  const c = panel.close.get(symbol)!;
  const hi = panel.high.get(symbol)!;
  const lo = panel.low.get(symbol)!;
  const vol = panel.volume.get(symbol)!;
  const spy = panel.price.get(MARKET_SYMBOL)!;
  const lr = logReturns(p);
  const spyLr = logReturns(spy);
  const cols: Float64Array[] = [];
  for (const w of RET_WINDOWS) cols.push(pctChange(p, w));
  for (const w of VOL_WINDOWS) cols.push(rollingStd(lr, w));
  for (const w of MA_WINDOWS) {
    const ma = rollingMean(p, w);
    cols.push(Float64Array.from(p, (x, i) => x / ma[i] - 1));
  }
  cols.push(rsi(p, 6), rsi(p, 14));
  const e12 = ema(p, 12);
  const e26 = ema(p, 26);
  const macd = Float64Array.from(p, (x, i) => (i >= 26 ? (e12[i] - e26[i]) / x : NaN));
  const sig = ema(macd, 9);
  cols.push(macd, sig, Float64Array.from(macd, (m, i) => m - sig[i]));
  const ma20 = rollingMean(p, 20);
  const sd20 = rollingStd(p, 20);
  cols.push(Float64Array.from(p, (x, i) => (sd20[i] > 0 ? (x - ma20[i]) / (2 * sd20[i]) : NaN)));
  const tr = new Float64Array(n).fill(NaN);
  for (let t = 1; t < n; t++) tr[t] = Math.max(hi[t] - lo[t], Math.abs(hi[t] - c[t - 1]), Math.abs(lo[t] - c[t - 1]));
  const atr = rollingMean(tr, 14);
  cols.push(Float64Array.from(c, (x, i) => atr[i] / x));
  const vm = rollingMean(vol, 20);
  const vs = rollingStd(vol, 20);
  const vm5 = rollingMean(vol, 5);
  cols.push(Float64Array.from(vol, (v, i) => (vs[i] > 0 ? (v - vm[i]) / vs[i] : NaN)));
  cols.push(Float64Array.from(vm5, (v, i) => v / vm[i]));
  const h252 = rollingMax(p, 252);
  const l252 = rollingMin(p, 252);
  const h20 = rollingMax(p, 20);
  const l20 = rollingMin(p, 20);
  const warm = (w: number, f: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => (i >= w - 1 ? f(i) : NaN));
  cols.push(warm(252, (i) => p[i] / h252[i] - 1), warm(252, (i) => p[i] / l252[i] - 1), warm(20, (i) => p[i] / h20[i] - 1), warm(20, (i) => p[i] / l20[i] - 1));
  const beta = new Float64Array(n).fill(NaN);
  const corr = new Float64Array(n).fill(NaN);
  const sdS = rollingStd(lr, 60);
  const sdM = rollingStd(spyLr, 60);
  for (let t = 60; t < n; t++) {
    const r = windowCorrelation(lr, spyLr, t, 60);
    corr[t] = r;
    beta[t] = sdM[t] > 0 ? (r * sdS[t]) / sdM[t] : NaN;
  }
  cols.push(beta, corr);
  const r20 = pctChange(p, 20);
  const m20 = pctChange(spy, 20);
  cols.push(Float64Array.from(r20, (x, i) => x - m20[i]));
  const d = cols.length;
  const values = new Float64Array(n * d);
  for (let t = 0; t < n; t++) for (let j = 0; j < d; j++) values[t * d + j] = cols[j][t];
  return { names: [...SIGNAL_SYMBOL_FEATURE_NAMES], values, rows: n };
}
