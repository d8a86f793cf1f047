/**
 * Average label uniqueness (López de Prado, AFML ch. 4): a row whose label window overlaps
 * many other rows' windows of the same symbol carries less independent information. For row
 * i with return days [t_i + lag + 1, t_i + lag + horizon], uniqueness = mean over those days of
 * 1 / (rows of the same symbol whose window covers the day). Normalised to mean 1 over the
 * rows given, so it reweights without changing the total weight.
 */
export function uniquenessWeights(t: ArrayLike<number>, symbol: ArrayLike<number>, rows: ArrayLike<number>, lag: number, horizon: number): Float64Array {
  const out = new Float64Array(rows.length);
  if (rows.length === 0) return out;
  let maxT = 0;
  let maxSym = 0;
  for (let k = 0; k < rows.length; k++) {
    maxT = Math.max(maxT, t[rows[k]]);
    maxSym = Math.max(maxSym, symbol[rows[k]]);
  }
  const span = maxT + lag + horizon + 2;
  const conc = new Int32Array((maxSym + 1) * span);
  for (let k = 0; k < rows.length; k++) {
    const base = symbol[rows[k]] * span;
    const a = t[rows[k]] + lag + 1;
    conc[base + a] += 1;
    conc[base + a + horizon] -= 1;
  }
  for (let s = 0; s <= maxSym; s++) for (let d = 1; d < span; d++) conc[s * span + d] += conc[s * span + d - 1];
  let sum = 0;
  for (let k = 0; k < rows.length; k++) {
    const base = symbol[rows[k]] * span;
    const a = t[rows[k]] + lag + 1;
    let u = 0;
    for (let d = a; d < a + horizon; d++) u += 1 / conc[base + d];
    out[k] = u / horizon;
    sum += out[k];
  }
  const mean = sum / rows.length;
  for (let k = 0; k < rows.length; k++) out[k] /= mean;
  return out;
}
