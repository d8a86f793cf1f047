import type { StrategyDef } from '../../labels/strategies';

/** Risky weights of a named allocation in the backtest's asset order (cash is the rest). */
export interface Allocation {
  name: string;
  weights: number[];
}

/** The SPY/TLT/cash strategy definitions as allocations over `assets` (names, e.g. ['SPY', 'TLT']). */
export function strategyAllocations(strategies: StrategyDef[], assets: string[]): Allocation[] {
  const spy = assets.indexOf('SPY');
  const tlt = assets.indexOf('TLT');
  if (spy < 0 || tlt < 0) throw new RangeError(`strategyAllocations: assets [${assets.join(', ')}] must include SPY and TLT`);
  return strategies.map((s) => {
    const w = new Array<number>(assets.length).fill(0);
    w[spy] = s.spy;
    w[tlt] = s.tlt;
    return { name: s.name, weights: w };
  });
}

export type Rebalance = 'daily' | 'monthly' | 'never';

/**
 * Targets (days x assets, NaN = no decision) holding one allocation over decision days
 * [from, to]: re-decided every day (daily rebalancing), on each month's first trading day
 * (monthly), or only at `from` (never: buy and hold, weights drift).
 */
export function staticTargets(dates: string[], weights: number[], from: number, to: number, rebalance: Rebalance): Float64Array {
  const A = weights.length;
  const out = new Float64Array(dates.length * A).fill(NaN);
  if (!(from >= 0 && to < dates.length && from <= to)) throw new RangeError(`staticTargets: window [${from}, ${to}] is outside 0..${dates.length - 1}`);
  for (let t = from; t <= to; t++) {
    const decide = t === from || rebalance === 'daily' || (rebalance === 'monthly' && dates[t].slice(0, 7) !== dates[t - 1].slice(0, 7));
    if (decide) out.set(weights, t * A);
  }
  return out;
}

/**
 * Targets from one chosen allocation per decision day (e.g. a model's predicted class):
 * `day[i]` is a calendar position, `choice[i]` an index into `allocations`.
 */
export function choiceTargets(days: number, allocations: Allocation[], day: ArrayLike<number>, choice: ArrayLike<number>): Float64Array {
  const A = allocations[0]?.weights.length ?? 0;
  const out = new Float64Array(days * A).fill(NaN);
  for (let i = 0; i < day.length; i++) {
    const a = allocations[choice[i]];
    if (!a) throw new RangeError(`choiceTargets: row ${i} chooses ${choice[i]}, outside 0..${allocations.length - 1}`);
    if (!(day[i] >= 0 && day[i] < days)) throw new RangeError(`choiceTargets: row ${i} day ${day[i]} is outside 0..${days - 1}`);
    out.set(a.weights, day[i] * A);
  }
  return out;
}
