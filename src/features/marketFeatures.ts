import { MARKET_SYMBOL, PUT_CALL_SYMBOL, SECTOR_SYMBOLS, STOCK_SYMBOLS, VOL_INDEX_SYMBOL } from '../data/bars';
import type { Panel } from './panel';
import { logReturns, pctChange, rollingMean, rollingStd, windowCorrelation } from './rolling';

/**
 * The strategy task's 10 market features. Row t uses only data at or before day t.
 *
 * - vix_level: VIX close.
 * - spy_returns_5d / spy_returns_20d: SPY total return over 5 / 20 trading days.
 * - volume_ratio: SPY volume / its trailing 20-day mean.
 * - market_breadth: share of sector ETFs trading above their 50-day average.
 * - correlation: mean pairwise 20-day correlation of sector daily returns.
 * - put_call_ratio: the PCR series when ingested; otherwise a proxy, VIX divided by SPY's
 *   20-day realised volatility (in VIX points): hedging demand relative to realised risk.
 * - gini_coefficient: Gini of 20-day average dollar volume across sectors and stocks
 *   (how concentrated trading is).
 * - sector_dispersion: cross-sectional standard deviation of sector 5-day returns.
 * - signal_quality_score: Kaufman efficiency ratio of SPY over 20 days,
 *   |P_t - P_{t-20}| / sum |P_k - P_{k-1}|, in [0, 1]: trend strength over noise.
 */
export const MARKET_FEATURE_NAMES = [
  'vix_level',
  'spy_returns_5d',
  'spy_returns_20d',
  'volume_ratio',
  'market_breadth',
  'correlation',
  'put_call_ratio',
  'gini_coefficient',
  'sector_dispersion',
  'signal_quality_score',
] as const;

export interface FeatureMatrix {
  names: string[];
  /** Row-major n x names.length; NaN where a feature is not yet computable (warm-up). */
  values: Float64Array;
  rows: number;
}

export function gini(values: number[]): number {
  const v = values.filter((x) => Number.isFinite(x) && x >= 0).sort((a, b) => a - b);
  const n = v.length;
  const total = v.reduce((a, b) => a + b, 0);
  if (n < 2 || total === 0) return NaN;
  let cum = 0;
  for (let i = 0; i < n; i++) cum += (i + 1) * v[i];
  return (2 * cum) / (n * total) - (n + 1) / n;
}

export function computeMarketFeatures(panel: Panel): FeatureMatrix {
  const n = panel.dates.length;
  const d = MARKET_FEATURE_NAMES.length;
  const out = new Float64Array(n * d).fill(NaN);
  const spy = panel.price.get(MARKET_SYMBOL)!;
  const vix = panel.close.get(VOL_INDEX_SYMBOL);
  const pcr = panel.close.get(PUT_CALL_SYMBOL);
  const spyVol = panel.volume.get(MARKET_SYMBOL);
  const r5 = pctChange(spy, 5);
  const r20 = pctChange(spy, 20);
  const volMean = spyVol ? rollingMean(spyVol, 20) : undefined;
  const spyRealised = rollingStd(logReturns(spy), 20);
  const sectors = SECTOR_SYMBOLS.filter((s) => panel.price.has(s));
  const secPrice = sectors.map((s) => panel.price.get(s)!);
  const secRet = secPrice.map((p) => logReturns(p));
  const secSma50 = secPrice.map((p) => rollingMean(p, 50));
  const secR5 = secPrice.map((p) => pctChange(p, 5));
  const dvSymbols = [...sectors, ...STOCK_SYMBOLS.filter((s) => panel.price.has(s))];
  const dollarVol = dvSymbols.map((s) => {
    const c = panel.close.get(s)!;
    const v = panel.volume.get(s)!;
    return rollingMean(Float64Array.from(c, (x, i) => x * v[i]), 20);
  });
  for (let t = 0; t < n; t++) {
    const row = t * d;
    out[row + 0] = vix ? vix[t] : NaN;
    out[row + 1] = r5[t];
    out[row + 2] = r20[t];
    out[row + 3] = spyVol && volMean ? spyVol[t] / volMean[t] : NaN;
    const above = secPrice.map((p, i) => (Number.isFinite(secSma50[i][t]) ? (p[t] > secSma50[i][t] ? 1 : 0) : NaN)).filter(Number.isFinite);
    out[row + 4] = above.length >= 3 ? above.reduce((a, b) => a + b, 0) / above.length : NaN;
    let corrSum = 0;
    let pairs = 0;
    for (let i = 0; i < secRet.length; i++)
      for (let j = i + 1; j < secRet.length; j++) {
        const c = windowCorrelation(secRet[i], secRet[j], t, 20);
        if (Number.isFinite(c)) {
          corrSum += c;
          pairs++;
        }
      }
    out[row + 5] = pairs >= 3 ? corrSum / pairs : NaN;
    out[row + 6] = pcr && Number.isFinite(pcr[t]) ? pcr[t] : vix ? vix[t] / (spyRealised[t] * Math.sqrt(252) * 100) : NaN;
    out[row + 7] = gini(dollarVol.map((dv) => dv[t]));
    const disp = secR5.map((r) => r[t]).filter(Number.isFinite);
    out[row + 8] = disp.length >= 3 ? std(disp) : NaN;
    if (t >= 20) {
      let path = 0;
      for (let k = t - 19; k <= t; k++) path += Math.abs(spy[k] - spy[k - 1]);
      out[row + 9] = path > 0 ? Math.abs(spy[t] - spy[t - 20]) / path : NaN;
    }
  }
  return { names: [...MARKET_FEATURE_NAMES], values: out, rows: n };
}

function std(v: number[]): number {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
}
