/**
 * Overlapping tranches: a decision about an h-day outcome, made every day, is traded as h
 * tranches of 1/h of the capital, each held for the h sessions its label scored (the standard
 * way to trade overlapping forecasts; Jegadeesh & Titman 1993). Tranche t is decided at close t,
 * so the portfolio's target at day t is the mean of the decisions of days t−h+1..t; a day
 * without a decision leaves its tranche in cash. With next-close execution the target of day t
 * is held over return days t+2.., so tranche t earns exactly the return days t+2..t+h+1 that
 * the label of day t (lag 1, horizon h) scored: what is trained is what is traded.
 */
export interface TrancheDecisions {
  /** Calendar position of each decision, ascending (several rows may share a day only if they agree). */
  day: ArrayLike<number>;
  /** Risky weights of decision i (assets order), length decisions x assets. */
  weights: (i: number) => ArrayLike<number>;
}

export interface TrancheTargets {
  /** days x assets, row-major; NaN outside [from, through] (no decision: holdings drift). */
  targets: Float64Array;
  /** First decision day and the last day a tranche is still open (last decision + h − 1). */
  from: number;
  through: number;
}

export function trancheTargets(days: number, assets: number, d: TrancheDecisions, hold: number): TrancheTargets {
  if (!(Number.isInteger(hold) && hold >= 1)) throw new RangeError(`trancheTargets: hold must be a positive integer, got ${hold}`);
  const n = d.day.length;
  const targets = new Float64Array(days * assets).fill(NaN);
  if (n === 0) return { targets, from: -1, through: -1 };
  const from = d.day[0];
  const last = d.day[n - 1];
  const through = Math.min(days - 1, last + hold - 1);
  // Each day's decided weights (zero = cash where nothing was decided), then a rolling mean over h days.
  const decided = new Float64Array((through - from + 1) * assets);
  let prev = -1;
  for (let i = 0; i < n; i++) {
    const t = d.day[i];
    if (!(t >= from && t <= last && t >= prev)) throw new RangeError(`trancheTargets: decision ${i} on day ${t} is out of order`);
    const w = d.weights(i);
    if (w.length !== assets) throw new RangeError(`trancheTargets: decision ${i} has ${w.length} weights for ${assets} assets`);
    if (t === prev) continue; // rows of one day share the day's decision
    decided.set(w, (t - from) * assets);
    prev = t;
  }
  const sum = new Float64Array(assets);
  for (let t = from; t <= through; t++) {
    const k = t - from;
    for (let a = 0; a < assets; a++) {
      sum[a] += decided[k * assets + a];
      if (k >= hold) sum[a] -= decided[(k - hold) * assets + a];
      // Rounding in the running sum must not leave a tiny negative weight.
      targets[t * assets + a] = Math.max(0, sum[a] / hold);
    }
  }
  return { targets, from, through };
}

/** How decisions of an h-session label are held, in words (the report and `evaluate` say it). */
export function describeHolding(horizon: number): string {
  return horizon === 1 ? 'each decision held one session (re-decided every day), the window its label scores' : `each decision held ${horizon} sessions as 1/${horizon} of the capital (overlapping tranches), the window its label scores`;
}
