import { MARKET_SYMBOL, PUT_CALL_SYMBOL, SECTOR_SYMBOLS, VOL_INDEX_SYMBOL } from '../data/bars';
import type { FeatureMatrix } from './featureMatrix';
import type { Panel } from './panel';
import { SIGNAL_SYMBOL_FEATURE_NAMES } from './signalFeatures';
import { logReturns, pctChange, rollingMean, rollingStd, windowCorrelation } from './rolling';

/**
 * The strategy task's 10 market features. Row t uses only data at or before day t.
 *
 * - vix_level: VIX close.
 * - spy_returns_5d / spy_returns_20d: SPY total return over 5 / 20 trading days.
 * - volume_ratio: SPY volume / its trailing 20-day mean.
 * - market_breadth: share of the run's sector cross-section trading above its 50-day average.
 * - correlation: mean pairwise 20-day correlation of the cross-section's daily returns.
 * - put_call_ratio: the PCR series when it covers the whole window; otherwise (throughout) a
 *   PROXY, VIX divided by SPY's 20-day realised volatility (in VIX points): hedging demand
 *   relative to realised risk.
 * - gini_coefficient: a PROXY for market concentration: Gini of 20-day average dollar volume
 *   across the run's sector cross-section.
 * - sector_dispersion: cross-sectional standard deviation of the cross-section's 5-day returns.
 * - signal_quality_score: a PROXY for signal quality: Kaufman efficiency ratio of SPY over
 *   20 days, |P_t - P_{t-20}| / sum |P_k - P_{k-1}|, in [0, 1]: trend strength over noise.
 *
 * The cross-section is fixed per run (MarketFeatureInputs) so no feature changes meaning when
 * a name stops trading; the market features never depend on the user's signal universe.
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

export type { FeatureMatrix } from './featureMatrix';

export function gini(values: number[]): number {
  const v = values.filter((x) => Number.isFinite(x) && x >= 0).sort((a, b) => a - b);
  const n = v.length;
  const total = v.reduce((a, b) => a + b, 0);
  if (n < 2 || total === 0) return NaN;
  let cum = 0;
  for (let i = 0; i < n; i++) cum += (i + 1) * v[i];
  return (2 * cum) / (n * total) - (n + 1) / n;
}

/**
 * What the market features are computed from in one run, fixed before any row is computed and
 * reported with the run: the cross-section (sector ETFs with fresh data on the panel's last
 * day) that breadth, correlation, dispersion and the Gini use on every day — a day where any
 * member has no fresh value gets NaN, never a smaller cross-section — and whether
 * put_call_ratio is the real PCR series (only if it covers the whole window) or its proxy.
 */
export interface MarketFeatureInputs {
  crossSection: string[];
  /** Sector ETFs left out because their data was not fresh at as-of, with their last bar. */
  excluded: { symbol: string; last: string | null }[];
  putCall: 'real' | 'proxy';
  /** The days the put/call decision covers (panel dates). */
  window: { from: string; to: string };
  asOf: string;
}

/** Cross-sectional features need at least this many members to mean anything. */
const MIN_CROSS_SECTION = 3;

function fresh(panel: Panel, symbol: string, t: number): boolean {
  return Number.isFinite(panel.price.get(symbol)?.[t] ?? NaN);
}

/**
 * Fixes the run's market-feature inputs. `window` (panel date range, default the whole panel)
 * is the span the features will be used over — a training window through as-of: PCR is used
 * only if it has a fresh value on every day of it; otherwise the proxy is used throughout, so a
 * model never sees the two spliced.
 */
export function marketFeatureInputs(panel: Panel, window?: { from: string; to: string }): MarketFeatureInputs {
  const last = panel.dates.length - 1;
  const crossSection = SECTOR_SYMBOLS.filter((s) => fresh(panel, s, last));
  const excluded = SECTOR_SYMBOLS.filter((s) => !crossSection.includes(s)).map((symbol) => ({ symbol, last: panel.lastBar.get(symbol) ?? null }));
  const w = window ?? { from: panel.dates[0], to: panel.dates[last] };
  let covered = panel.price.has(PUT_CALL_SYMBOL);
  for (let t = 0; covered && t <= last; t++) if (panel.dates[t] >= w.from && panel.dates[t] <= w.to && !fresh(panel, PUT_CALL_SYMBOL, t)) covered = false;
  return { crossSection, excluded, putCall: covered ? 'real' : 'proxy', window: w, asOf: panel.dates[last] };
}

/** Where each feature comes from: `real`, or `proxy: <what it stands in for and how>`. */
export function featureSources(inputs: MarketFeatureInputs): Record<string, string> {
  const members = `${inputs.crossSection.length} sector ETFs fresh at ${inputs.asOf} (${inputs.crossSection.join(', ')})`;
  const out: Record<string, string> = Object.fromEntries(SIGNAL_SYMBOL_FEATURE_NAMES.map((n) => [n, 'real']));
  for (const n of MARKET_FEATURE_NAMES) out[n] = 'real';
  out.market_breadth = `real: over ${members}`;
  out.correlation = `real: over ${members}`;
  out.sector_dispersion = `real: over ${members}`;
  out.put_call_ratio =
    inputs.putCall === 'real'
      ? `real: the ${PUT_CALL_SYMBOL} series (covers ${inputs.window.from}..${inputs.window.to})`
      : `proxy: VIX / SPY 20-day realised volatility (hedging demand relative to realised risk); no ${PUT_CALL_SYMBOL} series covering ${inputs.window.from}..${inputs.window.to}`;
  out.gini_coefficient = `proxy: market concentration as the Gini of 20-day mean dollar volume over ${members}`;
  out.signal_quality_score = 'proxy: signal quality as the Kaufman efficiency ratio of SPY over 20 days (trend strength over noise)';
  return out;
}

export function computeMarketFeatures(panel: Panel, inputs: MarketFeatureInputs = marketFeatureInputs(panel)): FeatureMatrix {
  const n = panel.dates.length;
  const d = MARKET_FEATURE_NAMES.length;
  const out = new Float64Array(n * d).fill(NaN);
  const spy = panel.price.get(MARKET_SYMBOL)!;
  const vix = panel.close.get(VOL_INDEX_SYMBOL);
  const pcr = inputs.putCall === 'real' ? panel.close.get(PUT_CALL_SYMBOL) : undefined;
  const spyVol = panel.volume.get(MARKET_SYMBOL);
  const r5 = pctChange(spy, 5);
  const r20 = pctChange(spy, 20);
  const volMean = spyVol ? rollingMean(spyVol, 20) : undefined;
  const spyRealised = rollingStd(logReturns(spy), 20);
  const members = inputs.crossSection.filter((s) => panel.price.has(s));
  const enough = members.length >= MIN_CROSS_SECTION && members.length === inputs.crossSection.length;
  const secPrice = members.map((s) => panel.price.get(s)!);
  const secRet = secPrice.map((p) => logReturns(p));
  const secSma50 = secPrice.map((p) => rollingMean(p, 50));
  const secR5 = secPrice.map((p) => pctChange(p, 5));
  const dollarVol = members.map((s) => {
    const c = panel.close.get(s)!;
    const v = panel.volume.get(s)!;
    return rollingMean(Float64Array.from(c, (x, i) => x * v[i]), 20);
  });
  const all = (f: (i: number) => number, t: number): number[] | null => {
    const v = members.map((_, i) => f(i));
    return enough && v.every(Number.isFinite) && members.every((_, i) => Number.isFinite(secPrice[i][t])) ? v : null;
  };
  for (let t = 0; t < n; t++) {
    const row = t * d;
    out[row + 0] = vix ? vix[t] : NaN;
    out[row + 1] = r5[t];
    out[row + 2] = r20[t];
    out[row + 3] = spyVol && volMean ? spyVol[t] / volMean[t] : NaN;
    const sma = all((i) => secSma50[i][t], t);
    out[row + 4] = sma ? sma.reduce((a, m, i) => a + (secPrice[i][t] > m ? 1 : 0), 0) / members.length : NaN;
    out[row + 5] = enough ? meanPairwiseCorrelation(secRet, t) : NaN;
    out[row + 6] = pcr ? pcr[t] : vix ? vix[t] / (spyRealised[t] * Math.sqrt(252) * 100) : NaN;
    const dv = all((i) => dollarVol[i][t], t);
    out[row + 7] = dv ? gini(dv) : NaN;
    const disp = all((i) => secR5[i][t], t);
    out[row + 8] = disp ? std(disp) : NaN;
    if (t >= 20) {
      let path = 0;
      for (let k = t - 19; k <= t; k++) path += Math.abs(spy[k] - spy[k - 1]);
      out[row + 9] = path > 0 ? Math.abs(spy[t] - spy[t - 20]) / path : NaN;
    }
  }
  return { names: [...MARKET_FEATURE_NAMES], values: out, rows: n };
}

/** NaN as soon as one pair is missing: a mean over fewer pairs would be a different feature. */
function meanPairwiseCorrelation(returns: Float64Array[], t: number): number {
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < returns.length; i++)
    for (let j = i + 1; j < returns.length; j++) {
      const c = windowCorrelation(returns[i], returns[j], t, 20);
      if (!Number.isFinite(c)) return NaN;
      sum += c;
      pairs++;
    }
  return pairs > 0 ? sum / pairs : NaN;
}

function std(v: number[]): number {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
}
