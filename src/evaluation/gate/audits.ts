import { wilsonInterval } from '../stats/proportion';
import { quantileSorted } from '../stats/descriptive';

/** What one audit trial decided. */
export interface TrialOutcome {
  trial: number;
  promoted: boolean;
  /** The gate's p (every leg, corrected for the candidates). */
  pValue: number | null;
  /** The same before the correction: uniform on [0, 1] when the null sits on the boundary. */
  pValueUncorrected: number | null;
  dsr: number | null;
  selected: string | null;
  /** Each leg's uncorrected p (e.g. benchmark, twin): the gate's p is the largest. */
  legs: Record<string, number>;
  /** Mean block of the trial's paired bootstrap, in days (data-driven, so it varies by trial). */
  meanBlockDays?: number | null;
}

/**
 * Kolmogorov–Smirnov distance of p-values from the uniform distribution, with its asymptotic
 * p-value (Marsaglia, Tsang & Wang's series, fine for n >= 20): a placebo whose p-values are
 * not uniform either promotes too often or can never fail.
 */
export function uniformityTest(p: number[]): { d: number; pValue: number } {
  const x = [...p].sort((a, b) => a - b);
  const n = x.length;
  if (n === 0) return { d: NaN, pValue: NaN };
  let d = 0;
  x.forEach((v, i) => (d = Math.max(d, (i + 1) / n - v, v - i / n)));
  const lambda = (Math.sqrt(n) + 0.12 + 0.11 / Math.sqrt(n)) * d;
  let q = 0;
  for (let j = 1; j <= 100; j++) q += 2 * (-1) ** (j - 1) * Math.exp(-2 * j * j * lambda * lambda);
  return { d, pValue: Math.min(1, Math.max(0, q)) };
}

/** The placebo audit's numbers: promotions with a Wilson CI, and the distribution of uncorrected p-values. */
export function placeboSummary(results: TrialOutcome[], alpha: number) {
  const trials = results.length;
  const promotions = results.filter((r) => r.promoted).length;
  const pValues = results.map((r) => r.pValueUncorrected ?? 1);
  const below = pValues.filter((p) => p <= alpha).length;
  const histogram = Array.from({ length: 10 }, (_, b) => pValues.filter((p) => (b === 9 ? p >= 0.9 : p >= b / 10 && p < (b + 1) / 10)).length);
  return {
    trials,
    promotions,
    falsePromotionRate: trials ? promotions / trials : NaN,
    falsePromotionRateCi95: wilsonInterval(promotions, trials),
    pValues,
    shareBelowAlpha: trials ? below / trials : NaN,
    shareBelowAlphaCi95: wilsonInterval(below, trials),
    pValueHistogram: { bins: 'tenths of [0, 1]', counts: histogram },
    uniformity: uniformityTest(pValues),
    byLeg: Object.fromEntries(
      [...new Set(results.flatMap((r) => Object.keys(r.legs)))].map((leg) => {
        const ps = results.map((r) => r.legs[leg] ?? 1);
        return [leg, { shareBelowAlpha: ps.filter((p) => p <= alpha).length / Math.max(1, ps.length), uniformity: uniformityTest(ps) }];
      }),
    ),
  };
}

/** One point of a power curve: how often a planted edge of this size was promoted. */
export function powerPoint(edge: number, results: TrialOutcome[]) {
  const trials = results.length;
  const promotions = results.filter((r) => r.promoted).length;
  const ps = Float64Array.from(results.map((r) => r.pValue ?? 1)).sort();
  return { edge, trials, promotions, power: trials ? promotions / trials : NaN, powerCi95: wilsonInterval(promotions, trials), medianP: ps.length ? quantileSorted(ps, 0.5) : NaN, pValues: results.map((r) => r.pValue) };
}
