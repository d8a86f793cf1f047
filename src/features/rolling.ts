/** Trailing-window statistics: value at t uses only indices <= t. NaN until the window fills. */

export function pctChange(x: Float64Array, lag: number): Float64Array {
  const out = new Float64Array(x.length).fill(NaN);
  for (let t = lag; t < x.length; t++) out[t] = x[t] / x[t - lag] - 1;
  return out;
}

export function logReturns(x: Float64Array): Float64Array {
  const out = new Float64Array(x.length).fill(NaN);
  for (let t = 1; t < x.length; t++) out[t] = Math.log(x[t] / x[t - 1]);
  return out;
}

export function rollingMean(x: Float64Array, w: number): Float64Array {
  const out = new Float64Array(x.length).fill(NaN);
  let sum = 0;
  let bad = 0;
  for (let t = 0; t < x.length; t++) {
    if (Number.isFinite(x[t])) sum += x[t];
    else bad++;
    if (t >= w) {
      if (Number.isFinite(x[t - w])) sum -= x[t - w];
      else bad--;
    }
    if (t >= w - 1 && bad === 0) out[t] = sum / w;
  }
  return out;
}

export function rollingStd(x: Float64Array, w: number): Float64Array {
  const out = new Float64Array(x.length).fill(NaN);
  for (let t = w - 1; t < x.length; t++) {
    let s = 0;
    let s2 = 0;
    let ok = true;
    for (let k = t - w + 1; k <= t; k++) {
      const v = x[k];
      if (!Number.isFinite(v)) {
        ok = false;
        break;
      }
      s += v;
      s2 += v * v;
    }
    if (ok) out[t] = Math.sqrt(Math.max(0, (s2 - (s * s) / w) / (w - 1)));
  }
  return out;
}

export function rollingMax(x: Float64Array, w: number): Float64Array {
  const out = new Float64Array(x.length).fill(NaN);
  for (let t = 0; t < x.length; t++) {
    let m = -Infinity;
    for (let k = Math.max(0, t - w + 1); k <= t; k++) if (x[k] > m) m = x[k];
    out[t] = Number.isFinite(m) ? m : NaN;
  }
  return out;
}

export function rollingMin(x: Float64Array, w: number): Float64Array {
  const out = new Float64Array(x.length).fill(NaN);
  for (let t = 0; t < x.length; t++) {
    let m = Infinity;
    for (let k = Math.max(0, t - w + 1); k <= t; k++) if (x[k] < m) m = x[k];
    out[t] = Number.isFinite(m) ? m : NaN;
  }
  return out;
}

export function ema(x: Float64Array, span: number): Float64Array {
  const out = new Float64Array(x.length).fill(NaN);
  const a = 2 / (span + 1);
  let prev = NaN;
  for (let t = 0; t < x.length; t++) {
    if (!Number.isFinite(x[t])) continue;
    prev = Number.isFinite(prev) ? a * x[t] + (1 - a) * prev : x[t];
    out[t] = prev;
  }
  return out;
}

/** Pearson correlation of two series over the trailing window ending at t. */
export function windowCorrelation(a: Float64Array, b: Float64Array, t: number, w: number): number {
  if (t - w + 1 < 0) return NaN;
  let sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  for (let k = t - w + 1; k <= t; k++) {
    const x = a[k], y = b[k];
    if (!Number.isFinite(x) || !Number.isFinite(y)) return NaN;
    sa += x; sb += y; saa += x * x; sbb += y * y; sab += x * y;
  }
  const cov = sab - (sa * sb) / w;
  const va = saa - (sa * sa) / w;
  const vb = sbb - (sb * sb) / w;
  return va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : NaN;
}
