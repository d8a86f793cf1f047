import { defaultMeanBlock } from './stationaryBootstrap';

/**
 * Data-driven mean block length of the stationary bootstrap: Politis & White (2004, Econometric
 * Reviews 23:53) with the correction of Patton, Politis & White (2009, 28:372). Why: a fixed
 * n^(1/3) rule (19 days over 22 years) is too short for a series whose dependence lasts months
 * — a score's daily IC is its exposure to sector returns that trend for quarters — and a bootstrap
 * with blocks too short underestimates the variance of the mean, so p-values pile up at 0 and 1
 * instead of being uniform when nothing is there. Autocovariances are the biased estimates
 * (divided by n) on the finite values in time order; the lag window is the flat-top trapezoid
 * with the bandwidth chosen by the first run of K_n insignificant autocorrelations.
 */
export function optimalMeanBlock(series: ArrayLike<number>): number {
  const x: number[] = [];
  for (let i = 0; i < series.length; i++) if (Number.isFinite(series[i])) x.push(series[i]);
  const n = x.length;
  if (n < 10) return 1;
  const mean = x.reduce((a, b) => a + b, 0) / n;
  for (let i = 0; i < n; i++) x[i] -= mean;
  const kn = Math.max(5, Math.ceil(Math.log10(n)));
  const mMax = Math.min(n - 1, Math.ceil(Math.sqrt(n)) + kn);
  const bMax = Math.ceil(Math.min(3 * Math.sqrt(n), n / 3));
  const acv = new Float64Array(mMax + 1);
  for (let k = 0; k <= mMax; k++) {
    let s = 0;
    for (let i = k; i < n; i++) s += x[i] * x[i - k];
    acv[k] = s / n;
  }
  if (!(acv[0] > 0)) return 1;
  const threshold = 2 * Math.sqrt(Math.log10(n) / n);
  const insignificant = (k: number) => Math.abs(acv[k] / acv[0]) < threshold;
  // m̂: the first lag after which K_n autocorrelations in a row are insignificant.
  let mHat = -1;
  for (let m = 0; m + kn <= mMax; m++) {
    let run = true;
    for (let j = 1; j <= kn && run; j++) run = insignificant(m + j);
    if (run) {
      mHat = m;
      break;
    }
  }
  if (mHat < 0) {
    mHat = 0;
    for (let k = 1; k <= mMax; k++) if (!insignificant(k)) mHat = k;
  }
  const M = Math.min(2 * Math.max(mHat, 1), mMax);
  const lambda = (t: number) => (Math.abs(t) <= 0.5 ? 1 : Math.abs(t) <= 1 ? 2 * (1 - Math.abs(t)) : 0);
  let g = 0;
  let longRun = acv[0];
  for (let k = 1; k <= M; k++) {
    const w = lambda(k / M);
    g += 2 * w * k * acv[k];
    longRun += 2 * w * acv[k];
  }
  if (!(longRun > 0)) return 1;
  const b = Math.cbrt((2 * g * g) / (2 * longRun * longRun)) * Math.cbrt(n);
  return Math.max(1, Math.min(bMax, Math.ceil(b)));
}

/**
 * One mean block for a paired bootstrap of several legs (every column must be resampled on the
 * same days): per leg the median of its series' data-driven blocks, the longest leg decides,
 * and never shorter than the fixed rule (two horizons, n^(1/3)).
 */
export function pairedMeanBlock(legs: ArrayLike<number>[][], units: number, horizon: number): number {
  let block = defaultMeanBlock(units, horizon);
  for (const series of legs) {
    if (!series.length) continue;
    const b = series.map((s) => optimalMeanBlock(s)).sort((a, c) => a - c);
    block = Math.max(block, b[Math.floor((b.length - 1) / 2)]);
  }
  return block;
}
