import { mean, neweyWestStandardError, sampleMoments } from '../stats/descriptive';
import { normalCdf } from '../stats/normal';

/** Signal strength per row: P(buy) − P(sell) from probability rows (rows x classes). */
export function buySellScore(proba: Float64Array, classes: number, sell = 0, buy = classes - 1): Float64Array {
  const rows = proba.length / classes;
  if (!Number.isInteger(rows)) throw new RangeError(`buySellScore: ${proba.length} probabilities is not a multiple of ${classes} classes`);
  return Float64Array.from({ length: rows }, (_, i) => proba[i * classes + buy] - proba[i * classes + sell]);
}

export interface MeanWithUncertainty {
  mean: number;
  /** Newey–West standard error (lags = horizon): daily ICs of overlapping h-day returns are correlated. */
  se: number;
  tStat: number;
  /** One-sided p-value of mean <= 0 (normal approximation). */
  pValue: number;
  ci95: [number, number];
}

export interface InformationCoefficient {
  /** Days with at least `minSymbols` symbols with a finite, non-constant score and return. */
  days: number;
  ic: MeanWithUncertainty;
  rankIc: MeanWithUncertainty;
  daily: { day: number; ic: number; rankIc: number; symbols: number }[];
}

function summarize(x: number[], lags: number): MeanWithUncertainty {
  const m = mean(x);
  const se = neweyWestStandardError(x, lags);
  const t = se > 0 ? m / se : NaN;
  return { mean: m, se, tStat: t, pValue: Number.isFinite(t) ? 1 - normalCdf(t) : NaN, ci95: [m - 1.959963984540054 * se, m + 1.959963984540054 * se] };
}

function pearson(x: number[], y: number[]): number {
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

/** Ranks 1..n with ties sharing their average rank. */
export function averageRanks(x: number[]): number[] {
  const order = x.map((_, i) => i).sort((a, b) => x[a] - x[b]);
  const r = new Array<number>(x.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && x[order[j + 1]] === x[order[i]]) j++;
    for (let k = i; k <= j; k++) r[order[k]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}

/**
 * Cross-sectional information coefficient per day: Pearson (IC) and Spearman (rank IC)
 * correlation between each symbol's score and its realised forward return over the label
 * horizon, averaged over days with >= `minSymbols` symbols. This measures ranking skill, not a
 * tradable P&L (see `dailyLongShort` for that).
 */
export function informationCoefficient(rows: { day: ArrayLike<number>; score: ArrayLike<number>; forwardReturn: ArrayLike<number> }, opts: { horizon: number; minSymbols?: number }): InformationCoefficient {
  const minSymbols = opts.minSymbols ?? 3;
  const byDay = new Map<number, { s: number[]; r: number[] }>();
  for (let i = 0; i < rows.day.length; i++) {
    if (!Number.isFinite(rows.score[i]) || !Number.isFinite(rows.forwardReturn[i])) continue;
    const g = byDay.get(rows.day[i]) ?? { s: [], r: [] };
    g.s.push(rows.score[i]);
    g.r.push(rows.forwardReturn[i]);
    byDay.set(rows.day[i], g);
  }
  const daily: InformationCoefficient['daily'] = [];
  for (const day of [...byDay.keys()].sort((a, b) => a - b)) {
    const g = byDay.get(day)!;
    if (g.s.length < minSymbols) continue;
    const ic = pearson(g.s, g.r);
    const rankIc = pearson(averageRanks(g.s), averageRanks(g.r));
    if (!Number.isFinite(ic) || !Number.isFinite(rankIc)) continue;
    daily.push({ day, ic, rankIc, symbols: g.s.length });
  }
  return { days: daily.length, ic: summarize(daily.map((d) => d.ic), opts.horizon), rankIc: summarize(daily.map((d) => d.rankIc), opts.horizon), daily };
}

export interface LongShortResult {
  /** Calendar position of each return's day (close d−1 -> close d). */
  day: Int32Array;
  /** Net daily long-short return of the held tranches, after costs. */
  returns: Float64Array;
  /** Decision days on which one side was empty, so that day's tranche stayed flat. */
  flatDays: number;
  /** Mean daily traded notional (sum of |Δw| over both sides). */
  turnover: number;
  /** Each symbol's held weight averaged over the days the book held a position: the book's static twin. */
  averageWeights: Float64Array;
  /** Per return day, 1 when the book held a position (0 on flat days and gaps between folds). */
  invested: Uint8Array;
  mean: number;
  /** Annualised (√252) Sharpe of the daily long-short returns; a long-short book is its own excess return. */
  sharpe: number;
  skewness: number;
  kurtosis: number;
}

/**
 * Daily long-short return of a signal, traded as its labels score it: the book decided at close t
 * (equal weights, +1/n_buy on each symbol predicted buy, −1/n_sell on each predicted sell; flat
 * when either side is empty, so it never turns into a directional market bet) executes `lag`
 * sessions later and is held for `hold` sessions as one of `hold` overlapping tranches of 1/hold
 * of the capital (src/evaluation/backtest/tranches.ts). So the book of day t earns return days
 * t+lag+1 .. t+lag+hold, the window its label's forward return covers. Costs are charged on the
 * change of the held weights. `dailyReturns[s][d]` is symbol s's return on calendar day d
 * (close d−1 -> close d); a held symbol with no return that day earns nothing.
 */
export function dailyLongShort(
  rows: { day: ArrayLike<number>; symbol: ArrayLike<number>; prediction: ArrayLike<number> },
  dailyReturns: ArrayLike<number>[],
  opts: { buy: number; sell: number; costBps?: number; lag: number; hold: number },
): LongShortResult {
  const { lag, hold } = opts;
  if (!(Number.isInteger(lag) && lag >= 0)) throw new RangeError(`dailyLongShort: lag must be a non-negative integer, got ${lag}`);
  if (!(Number.isInteger(hold) && hold >= 1)) throw new RangeError(`dailyLongShort: hold must be a positive integer, got ${hold}`);
  const costRate = (opts.costBps ?? 0) / 1e4;
  const S = dailyReturns.length;
  const calendar = Math.min(...dailyReturns.map((r) => r.length));
  const books = new Map<number, { longs: number[]; shorts: number[] }>();
  for (let i = 0; i < rows.day.length; i++) {
    const t = rows.day[i];
    const s = rows.symbol[i];
    if (!(s >= 0 && s < S)) throw new RangeError(`dailyLongShort: row ${i} symbol ${s} has no return series`);
    const g = books.get(t) ?? { longs: [], shorts: [] };
    if (rows.prediction[i] === opts.buy) g.longs.push(s);
    else if (rows.prediction[i] === opts.sell) g.shorts.push(s);
    books.set(t, g);
  }
  const decisionDays = [...books.keys()].sort((a, b) => a - b);
  let flatDays = 0;
  // One tranche per decision day: its weights, already divided by `hold`.
  const tranche = new Map<number, [number, number][]>();
  for (const t of decisionDays) {
    const g = books.get(t)!;
    if (g.longs.length === 0 || g.shorts.length === 0) {
      flatDays++;
      continue;
    }
    tranche.set(t, [...g.longs.map((s) => [s, 1 / g.longs.length / hold] as [number, number]), ...g.shorts.map((s) => [s, -1 / g.shorts.length / hold] as [number, number])]);
  }
  const days: number[] = [];
  const returns: number[] = [];
  let turnoverSum = 0;
  const weightSum = new Float64Array(S);
  const invested: number[] = [];
  if (decisionDays.length > 0) {
    const held = new Float64Array(S);
    const before = new Float64Array(S);
    const first = decisionDays[0] + lag + 1;
    const last = Math.min(calendar - 1, decisionDays[decisionDays.length - 1] + lag + hold);
    for (let d = first; d <= last; d++) {
      before.set(held);
      // Return day d holds the tranches decided on days d−lag−hold .. d−lag−1.
      for (const [s, w] of tranche.get(d - lag - 1) ?? []) held[s] += w;
      for (const [s, w] of tranche.get(d - lag - 1 - hold) ?? []) held[s] -= w;
      let traded = 0;
      let r = 0;
      let any = 0;
      for (let s = 0; s < S; s++) {
        if (Math.abs(held[s]) < 1e-15) held[s] = 0;
        traded += Math.abs(held[s] - before[s]);
        weightSum[s] += held[s];
        if (held[s] !== 0) any = 1;
        const x = dailyReturns[s][d];
        if (held[s] !== 0 && Number.isFinite(x)) r += held[s] * x;
      }
      invested.push(any);
      days.push(d);
      returns.push(r - costRate * traded);
      turnoverSum += traded;
    }
  }
  const m = sampleMoments(returns);
  const investedDays = invested.reduce((a, b) => a + b, 0);
  return {
    day: Int32Array.from(days),
    returns: Float64Array.from(returns),
    flatDays,
    turnover: days.length > 0 ? turnoverSum / days.length : 0,
    averageWeights: Float64Array.from(weightSum, (w) => (investedDays > 0 ? w / investedDays : 0)),
    invested: Uint8Array.from(invested),
    mean: m.mean,
    sharpe: m.sd > 0 ? (m.mean / m.sd) * Math.sqrt(252) : NaN,
    skewness: m.skewness,
    kurtosis: m.kurtosis,
  };
}

/**
 * The long-short book's static twin: the book's average weight on each symbol (over the days it
 * held a position) held constant on exactly those days, with costs on every change of weights
 * as the book pays them. Book minus twin is what the signal's changes from day to day earned; a
 * book that leans the same way on the same names all the time (long the stocks that rose most
 * over the sample, short the rest) earns what its twin earns.
 */
export function staticTwinBook(book: Pick<LongShortResult, 'day' | 'averageWeights' | 'invested'>, dailyReturns: ArrayLike<number>[], costBps = 0): Float64Array {
  const w = book.averageWeights;
  const gross = w.reduce((a, x) => a + Math.abs(x), 0);
  const costRate = costBps / 1e4;
  return Float64Array.from(book.day, (d, k) => {
    const on = book.invested[k] === 1;
    const was = k > 0 && book.invested[k - 1] === 1;
    let r = 0;
    if (on) {
      for (let s = 0; s < w.length; s++) {
        const x = dailyReturns[s][d];
        if (w[s] !== 0 && Number.isFinite(x)) r += w[s] * x;
      }
    }
    return r - (on !== was ? costRate * gross : 0);
  });
}
