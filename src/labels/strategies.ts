/** Allocation strategies (config, not code): weights of SPY / TLT / cash summing to 1. */
export interface StrategyDef {
  name: string;
  spy: number;
  tlt: number;
  cash: number;
}

export const DEFAULT_STRATEGIES: StrategyDef[] = [
  { name: 'ultra_defensive', spy: 0.2, tlt: 0.5, cash: 0.3 },
  { name: 'defensive', spy: 0.4, tlt: 0.3, cash: 0.3 },
  { name: 'balanced_safe', spy: 0.6, tlt: 0.2, cash: 0.2 },
  { name: 'balanced_growth', spy: 0.7, tlt: 0.2, cash: 0.1 },
  { name: 'growth', spy: 0.8, tlt: 0.15, cash: 0.05 },
  { name: 'aggressive_growth', spy: 0.9, tlt: 0.1, cash: 0 },
  { name: 'contrarian_long', spy: 0.85, tlt: 0.15, cash: 0 },
  { name: 'tactical_opportunity', spy: 0.75, tlt: 0.25, cash: 0 },
];

export function validateStrategies(defs: StrategyDef[]): void {
  if (defs.length < 2) throw new RangeError('need at least 2 strategies');
  const names = new Set<string>();
  for (const s of defs) {
    if (names.has(s.name)) throw new RangeError(`duplicate strategy name "${s.name}"`);
    names.add(s.name);
    for (const k of ['spy', 'tlt', 'cash'] as const) {
      if (!(s[k] >= 0 && s[k] <= 1)) throw new RangeError(`strategy "${s.name}": ${k} weight ${s[k]} must be in [0, 1]`);
    }
    if (Math.abs(s.spy + s.tlt + s.cash - 1) > 1e-6) throw new RangeError(`strategy "${s.name}": weights sum to ${s.spy + s.tlt + s.cash}, not 1`);
  }
}
