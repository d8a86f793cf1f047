import { InsufficientDataError } from '../errors';
import { MARKET_SYMBOL, VOL_INDEX_SYMBOL } from '../data/bars';
import type { Panel } from '../features/panel';
import { pctChange, rollingMax, rollingMin } from '../features/rolling';
import { REGIMES, type Regime } from './regimes';

/**
 * Documented thresholds (all configurable). Precedence: crash > recovery > high_volatility
 * > low_volatility > normal. Every input is trailing, so a day's regime never depends on a
 * later price.
 *
 * - recovery: SPY still in a drawdown (<= recoveryDrawdown) but rebounded >= recoveryRebound
 *   from its trailing 63-day low, its 20-day return positive and VIX below its level 10 days
 *   ago (fear receding). Checked first, so April 2009 (VIX still ~40) is a recovery.
 * - crash: not recovering, and VIX >= crashVix AND (SPY drawdown from its trailing 252-day
 *   high <= crashDrawdown OR SPY 20-day return <= crashReturn20d); or VIX >= panicVix.
 * - high_volatility: VIX >= highVolVix.
 * - low_volatility: VIX < lowVolVix.
 * - normal: everything else.
 */
export interface RegimeThresholds {
  lowVolVix: number;
  highVolVix: number;
  crashVix: number;
  panicVix: number;
  crashDrawdown: number;
  crashReturn20d: number;
  recoveryDrawdown: number;
  recoveryRebound: number;
  drawdownWindow: number;
  reboundWindow: number;
}

export const DEFAULT_REGIME_THRESHOLDS: RegimeThresholds = {
  lowVolVix: 15,
  highVolVix: 25,
  crashVix: 30,
  panicVix: 45,
  crashDrawdown: -0.15,
  crashReturn20d: -0.08,
  recoveryDrawdown: -0.08,
  recoveryRebound: 0.1,
  drawdownWindow: 252,
  reboundWindow: 63,
};

export interface RegimeLabels {
  dates: string[];
  /** Index into REGIMES, or -1 where VIX/SPY are unavailable. */
  regime: Int8Array;
  vix: Float64Array;
  drawdown: Float64Array;
}

export function labelRegimes(panel: Panel, thresholds: Partial<RegimeThresholds> = {}): RegimeLabels {
  const th = { ...DEFAULT_REGIME_THRESHOLDS, ...thresholds };
  if (th.lowVolVix >= th.highVolVix) throw new RangeError(`lowVolVix (${th.lowVolVix}) must be below highVolVix (${th.highVolVix})`);
  const spy = panel.price.get(MARKET_SYMBOL);
  const vix = panel.close.get(VOL_INDEX_SYMBOL);
  if (!spy || !vix) throw new InsufficientDataError(`regime labelling needs ${MARKET_SYMBOL} and ${VOL_INDEX_SYMBOL}`);
  const n = panel.dates.length;
  const peak = rollingMax(spy, th.drawdownWindow);
  const trough = rollingMin(spy, th.reboundWindow);
  const r20 = pctChange(spy, 20);
  const regime = new Int8Array(n).fill(-1);
  const drawdown = new Float64Array(n).fill(NaN);
  const idx = (r: Regime) => REGIMES.indexOf(r);
  for (let t = 0; t < n; t++) {
    const v = vix[t];
    if (!Number.isFinite(v) || !Number.isFinite(spy[t])) continue;
    const dd = spy[t] / peak[t] - 1;
    drawdown[t] = dd;
    const rebound = spy[t] / trough[t] - 1;
    const vixFalling = t >= 10 && Number.isFinite(vix[t - 10]) && v < vix[t - 10];
    const recovering = dd <= th.recoveryDrawdown && rebound >= th.recoveryRebound && vixFalling && r20[t] > 0;
    let r: Regime;
    if (!recovering && (v >= th.panicVix || (v >= th.crashVix && (dd <= th.crashDrawdown || r20[t] <= th.crashReturn20d)))) r = 'crash';
    else if (recovering) r = 'recovery';
    else if (v >= th.highVolVix) r = 'high_volatility';
    else if (v < th.lowVolVix) r = 'low_volatility';
    else r = 'normal';
    regime[t] = idx(r);
  }
  return { dates: panel.dates, regime, vix: Float64Array.from(vix), drawdown };
}

export function regimeCounts(regime: Int8Array | number[]): Record<Regime, number> {
  const c = Object.fromEntries(REGIMES.map((r) => [r, 0])) as Record<Regime, number>;
  for (const r of regime) if (r >= 0) c[REGIMES[r]]++;
  return c;
}
