/** Adam's moment estimates for a flat parameter vector. */
export interface AdamMoments {
  m: Float64Array;
  v: Float64Array;
}

export function adamMoments(size: number): AdamMoments {
  return { m: new Float64Array(size), v: new Float64Array(size) };
}

/**
 * One Adam step (Kingma & Ba) in place on W, iteration `t` counted from 1 for the bias
 * correction. Shared by the models that optimise a flat weight vector (logistic, SVM).
 */
export function adamStep(W: Float64Array, grad: Float64Array, s: AdamMoments, t: number, lr: number, b1 = 0.9, b2 = 0.999, eps = 1e-8): void {
  const c1 = 1 - b1 ** t;
  const c2 = 1 - b2 ** t;
  for (let p = 0; p < W.length; p++) {
    s.m[p] = b1 * s.m[p] + (1 - b1) * grad[p];
    s.v[p] = b2 * s.v[p] + (1 - b2) * grad[p] * grad[p];
    W[p] -= (lr * (s.m[p] / c1)) / (Math.sqrt(s.v[p] / c2) + eps);
  }
}
