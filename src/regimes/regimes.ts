/** The five market regimes, in the order used for indices, targets and weights. */
export const REGIMES = ['low_volatility', 'normal', 'high_volatility', 'crash', 'recovery'] as const;
export type Regime = (typeof REGIMES)[number];

export function regimeIndex(r: Regime): number {
  return REGIMES.indexOf(r);
}

/** Target share of each regime in the balanced training sample (sums to 1). */
export const DEFAULT_TARGET_MIX: Record<Regime, number> = {
  low_volatility: 0.2,
  normal: 0.4,
  high_volatility: 0.2,
  crash: 0.1,
  recovery: 0.1,
};

/** Per-sample loss weight by regime: rare, costly regimes count more. */
export const DEFAULT_REGIME_WEIGHTS: Record<Regime, number> = {
  low_volatility: 0.8,
  normal: 1.0,
  high_volatility: 1.3,
  crash: 2.0,
  recovery: 1.5,
};
