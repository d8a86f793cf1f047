/**
 * Population stability index of one feature: bins are the reference (training) sample's
 * deciles; PSI = sum over bins of (q - p) * ln(q / p), p = reference share, q = recent share.
 * Rule of thumb: < 0.1 stable, 0.1-0.25 moderate shift, > 0.25 significant shift. Fewer bins
 * are used when the recent sample is small (at least ~10 rows per bin).
 */
export function populationStabilityIndex(reference: ArrayLike<number>, recent: ArrayLike<number>, maxBins = 10): number {
  const ref = Array.from(reference).filter(Number.isFinite).sort((a, b) => a - b);
  const cur = Array.from(recent).filter(Number.isFinite);
  if (ref.length === 0 || cur.length === 0) return NaN;
  // About 10 recent rows per bin at least: with fewer, empty bins alone push PSI past any threshold.
  const bins = Math.max(2, Math.min(maxBins, Math.floor(cur.length / 10)));
  const edges: number[] = [];
  for (let b = 1; b < bins; b++) {
    const v = ref[Math.min(ref.length - 1, Math.floor((b * ref.length) / bins))];
    if (edges.length === 0 || v > edges[edges.length - 1]) edges.push(v);
  }
  const share = (xs: number[]) => {
    const c = new Array(edges.length + 1).fill(0);
    for (const x of xs) {
      let k = 0;
      while (k < edges.length && x > edges[k]) k++;
      c[k]++;
    }
    return c.map((v) => v / xs.length);
  };
  const p = share(ref);
  const q = share(cur);
  const eps = 1e-4;
  let psi = 0;
  for (let k = 0; k < p.length; k++) {
    const pk = Math.max(p[k], eps);
    const qk = Math.max(q[k], eps);
    psi += (qk - pk) * Math.log(qk / pk);
  }
  return psi;
}
