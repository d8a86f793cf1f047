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

/**
 * Indices of the strategies that are not dominated. A daily-rebalanced allocation's return is
 * linear in its weights, so a strategy that is a convex combination of others (inside their
 * convex hull in (spy, tlt, cash) space, or on an edge between two of them) can at best tie
 * with one of them under the return objective and almost never wins under the risk-adjusted
 * one: it is a class no label can reach. Kept: the hull's vertices, in configured order.
 */
export function undominatedStrategies(defs: StrategyDef[]): number[] {
  validateStrategies(defs);
  // cash = 1 - spy - tlt, so (spy, tlt) places each strategy in the plane.
  const pts = defs.map((s, i) => ({ x: s.spy, y: s.tlt, i }));
  const unique = pts.filter((p, k) => pts.findIndex((q) => Math.abs(q.x - p.x) < 1e-12 && Math.abs(q.y - p.y) < 1e-12) === k);
  if (unique.length <= 2) return unique.map((p) => p.i);
  const sorted = [...unique].sort((a, b) => a.x - b.x || a.y - b.y);
  const cross = (o: (typeof pts)[number], a: (typeof pts)[number], b: (typeof pts)[number]) => (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
  // Andrew's monotone chain; collinear points are dropped (cross <= eps), so only strict vertices remain.
  const half = (list: typeof sorted) => {
    const out: typeof sorted = [];
    for (const p of list) {
      while (out.length >= 2 && cross(out[out.length - 2], out[out.length - 1], p) <= 1e-12) out.pop();
      out.push(p);
    }
    return out;
  };
  const lower = half(sorted);
  const upper = half([...sorted].reverse());
  const hull = new Set([...lower, ...upper].map((p) => p.i));
  // Collinear sets (all points on one line) keep the two ends.
  return defs.map((_, i) => i).filter((i) => hull.has(i));
}
