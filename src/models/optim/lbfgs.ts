/**
 * Limited-memory BFGS (Nocedal & Wright, algorithm 7.4 with the two-loop recursion) with a
 * backtracking Armijo line search, for the smooth convex objectives of the linear models
 * (multinomial logistic regression with L2). It reaches the optimum in tens of iterations
 * where full-batch Adam took hundreds: each iteration costs about one pass over the rows.
 */
export interface LbfgsOptions {
  maxIter: number;
  /** Stop when an iteration lowers the objective by less than this (absolute). */
  tol: number;
  /** Stop when the largest gradient component is below this. */
  gradTol?: number;
  /** Correction pairs kept (m). */
  history?: number;
  /** Called after every iteration; may throw to abort (cancellation) or await (heartbeats). */
  onIteration?: (iteration: number, value: number) => void | Promise<void>;
}

export interface LbfgsResult {
  iterations: number;
  /** Objective evaluations (each one pass over the data). */
  evaluations: number;
  value: number;
}

/**
 * Minimises f from x (updated in place). `fg(x, g)` returns f(x) and writes its gradient into g.
 * Deterministic: the same inputs give the same iterates.
 */
export async function minimizeLbfgs(x: Float64Array, fg: (x: Float64Array, g: Float64Array) => number, o: LbfgsOptions): Promise<LbfgsResult> {
  const n = x.length;
  const m = o.history ?? 10;
  const gradTol = o.gradTol ?? 1e-6;
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(m);
  let g = new Float64Array(n);
  let gNew = new Float64Array(n);
  const d = new Float64Array(n);
  const xNew = new Float64Array(n);
  let f = fg(x, g);
  let evaluations = 1;
  let iterations = 0;
  if (normInf(g) < gradTol) return { iterations, evaluations, value: f };
  for (iterations = 1; iterations <= o.maxIter; iterations++) {
    // d = -H g by the two-loop recursion; H0 = (s'y / y'y) I from the newest pair.
    d.set(g);
    for (let k = S.length - 1; k >= 0; k--) {
      alpha[k] = rho[k] * dot(S[k], d);
      axpy(-alpha[k], Y[k], d);
    }
    const gamma = S.length > 0 ? dot(S.at(-1)!, Y.at(-1)!) / dot(Y.at(-1)!, Y.at(-1)!) : 1;
    for (let p = 0; p < n; p++) d[p] *= gamma;
    for (let k = 0; k < S.length; k++) axpy(alpha[k] - rho[k] * dot(Y[k], d), S[k], d);
    for (let p = 0; p < n; p++) d[p] = -d[p];
    let slope = dot(g, d);
    if (!(slope < 0)) {
      // Not a descent direction (curvature lost to rounding): restart from steepest descent.
      S.length = Y.length = rho.length = 0;
      for (let p = 0; p < n; p++) d[p] = -g[p];
      slope = -dot(g, g);
    }
    // The first step has no curvature yet: scale it to unit length.
    let t = S.length === 0 ? Math.min(1, 1 / Math.sqrt(-slope)) : 1;
    let fNew = Infinity;
    for (let tries = 0; tries < 40; tries++) {
      for (let p = 0; p < n; p++) xNew[p] = x[p] + t * d[p];
      fNew = fg(xNew, gNew);
      evaluations++;
      if (fNew <= f + 1e-4 * t * slope) break; // Armijo sufficient decrease
      t *= 0.5;
    }
    if (!(fNew <= f)) break; // no step lowers f: at the optimum to rounding
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let p = 0; p < n; p++) {
      s[p] = xNew[p] - x[p];
      y[p] = gNew[p] - g[p];
    }
    const sy = dot(s, y);
    // Keep only pairs with positive curvature, so H stays positive definite.
    if (sy > 1e-12 * dot(y, y)) {
      if (S.length === m) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
    }
    x.set(xNew);
    [g, gNew] = [gNew, g];
    const decrease = f - fNew;
    f = fNew;
    await o.onIteration?.(iterations, f);
    if (decrease < o.tol || normInf(g) < gradTol) break;
  }
  return { iterations: Math.min(iterations, o.maxIter), evaluations, value: f };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let p = 0; p < a.length; p++) s += a[p] * b[p];
  return s;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let p = 0; p < x.length; p++) y[p] += a * x[p];
}

function normInf(a: Float64Array): number {
  let s = 0;
  for (let p = 0; p < a.length; p++) s = Math.max(s, Math.abs(a[p]));
  return s;
}
