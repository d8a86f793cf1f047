import { BOND_SYMBOL, MARKET_SYMBOL } from '../data/bars';
import { InsufficientDataError } from '../errors';
import { constantDailyCashRate, type DailyCashRate } from '../data/rates';
import type { BacktestAsset } from '../evaluation/backtest';
import { signalSymbolsOf } from '../data/universe';
import { taskFeatures } from '../features/featureRows';
import { marketFeatureInputs } from '../features/marketFeatures';
import type { Panel } from '../features/panel';
import { labelSignals, SIGNAL_CLASSES } from '../labels/signalLabeler';
import { undominatedStrategies } from '../labels/strategies';
import { labelStrategies } from '../labels/strategyLabeler';
import { crisisOf } from '../regimes/crisisArchive';
import type { DatasetConfig } from './config';
import { dayNumber, type Dataset, type Task } from './dataset';
import { permuteTargetsInBlocks } from '../evaluation/placebo';

/** The daily cash rate per calendar day and where it came from (src/data/rates.ts). */
export type CashSeries = Pick<DailyCashRate, 'daily' | 'source'>;

function dailyReturns(p: Float64Array | undefined, n: number): Float64Array {
  const out = new Float64Array(n).fill(NaN);
  if (p) for (let t = 1; t < n; t++) out[t] = p[t] / p[t - 1] - 1;
  return out;
}

function concat(parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Without the bars at hand: a leg is price-only when its "total-return" price is just the close (no adj_close). */
function priceOnly(panel: Panel, symbol: string): boolean {
  const p = panel.price.get(symbol);
  const c = panel.close.get(symbol);
  if (!p || !c) return false;
  for (let t = 0; t < p.length; t++) if (Number.isFinite(p[t]) && p[t] !== c[t]) return false;
  return true;
}

/**
 * Every usable labelled row of a task from bars that end at the as-of date. A row is usable
 * when all its features, its label and its day's regime are known. Labels need lag + horizon
 * future days, so the last days are never labelled: nothing after as-of can leak in.
 * `dayRegime[t]` is the regime index of calendar day t (-1 = unknown).
 */
export function buildDataset(
  panel: Panel,
  dayRegime: Int8Array,
  task: Task,
  cfg: DatasetConfig,
  opts: { cash?: CashSeries; replay?: { keys: Set<string>; weight: number }; legs?: { spy: BacktestAsset; tlt: BacktestAsset } } = {},
): Dataset {
  const n = panel.dates.length;
  const cash = opts.cash ?? { ...constantDailyCashRate(n, cfg.strategy.cashRate), source: `constant ${(cfg.strategy.cashRate * 100).toFixed(2)}% a year (no cash-rate series ingested: set --cash-rate-file)` };
  if (cash.daily.length !== n) throw new RangeError(`cash series has ${cash.daily.length} days, calendar ${n}`);
  // The market features' inputs (cross-section, put/call source) are fixed for the whole dataset and stored with it.
  const marketInputs = marketFeatureInputs(panel);
  const features = taskFeatures(panel, task, task === 'signal' ? signalSymbolsOf(cfg.signal.symbols, panel.price.keys()) : [], marketInputs);
  let classNames: string[];
  let allocations: Dataset['allocations'] = null;
  let horizon: number;
  let executionLag: number;
  let pnlCols: number;
  let labelsOf: (k: number) => { label: Int32Array; pnl: Float64Array };
  if (task === 'strategy') {
    const all = cfg.strategy.strategies;
    const kept = cfg.strategy.prune === 'dominated' ? undominatedStrategies(all) : all.map((_, i) => i);
    const defs = kept.map((i) => all[i]);
    allocations = defs;
    classNames = defs.map((s) => s.name);
    horizon = cfg.strategy.horizon;
    executionLag = cfg.strategy.executionLag;
    pnlCols = defs.length;
    labelsOf = () => labelStrategies(panel, { ...cfg.strategy, strategies: defs }, cash.daily);
  } else {
    classNames = [...SIGNAL_CLASSES];
    horizon = cfg.signal.horizon;
    executionLag = cfg.signal.executionLag;
    pnlCols = 1;
    labelsOf = (k) => {
      const { label, forwardReturn } = labelSignals(panel, features.symbols[k], cfg.signal);
      return { label, pnl: forwardReturn };
    };
  }
  const cols = features.names.length;
  // Pass 1, one symbol at a time (a large universe is never held as float64 all at once): the
  // usable days of each symbol and their rows, compacted to float32.
  const perSymbol = features.symbols.map((_, k) => {
    const f = features.matrix(k);
    const { label, pnl } = labelsOf(k);
    const days: number[] = [];
    for (let t = 0; t < n; t++) {
      if (dayRegime[t] < 0 || label[t] < 0) continue;
      let ok = true;
      for (let j = 0; ok && j < cols; j++) ok = Number.isFinite(f.values[t * cols + j]);
      if (ok) days.push(t);
    }
    const X = new Float32Array(days.length * cols);
    days.forEach((t, r) => X.set(f.values.subarray(t * cols, (t + 1) * cols), r * cols));
    const rowsOk = Int32Array.from(days);
    // Float32 rounding can overflow a huge feature to Infinity: such a row is not usable either.
    const keep = days.map((_, r) => X.subarray(r * cols, (r + 1) * cols).every(Number.isFinite));
    return { days: rowsOk.filter((_, r) => keep[r]), X: keep.every(Boolean) ? X : Float32Array.from(days.flatMap((_, r) => (keep[r] ? Array.from(X.subarray(r * cols, (r + 1) * cols)) : []))), label, pnl };
  });
  // Pass 2: rows in (day, symbol) order.
  const rows = perSymbol.reduce((a, p) => a + p.days.length, 0);
  if (rows === 0) throw new InsufficientDataError(`no usable ${task} rows: features, labels or regimes are never complete`);
  const X = new Float32Array(rows * cols);
  const y = new Int32Array(rows);
  const regime = new Int8Array(rows);
  const tArr = new Int32Array(rows);
  const symbol = new Int16Array(rows);
  const archiveEnd = new Int32Array(rows);
  const pnl = new Float64Array(rows * pnlCols);
  const replayWeight = new Float64Array(rows).fill(1);
  let replayRows = 0;
  const next = new Int32Array(perSymbol.length);
  let i = 0;
  for (let t = 0; t < n; t++) {
    const crisis = cfg.includeCrisisArchive ? crisisOf(panel.dates[t]) : undefined;
    for (let k = 0; k < perSymbol.length; k++) {
      const p = perSymbol[k];
      const r = next[k];
      if (r >= p.days.length || p.days[r] !== t) continue;
      next[k]++;
      X.set(p.X.subarray(r * cols, (r + 1) * cols), i * cols);
      y[i] = p.label[t];
      regime[i] = dayRegime[t];
      tArr[i] = t;
      symbol[i] = k;
      archiveEnd[i] = crisis ? dayNumber(crisis.end) : 0;
      pnl.set(p.pnl.subarray(t * pnlCols, (t + 1) * pnlCols), i * pnlCols);
      if (opts.replay?.keys.has(`${dayNumber(panel.dates[t])}:${features.symbols[k]}`)) {
        replayWeight[i] = opts.replay.weight;
        replayRows++;
      }
      i++;
    }
  }
  const ds: Dataset = {
    task,
    featureNames: features.names,
    classNames,
    allocations,
    marketInputs,
    symbols: features.symbols,
    horizon,
    executionLag,
    dates: panel.dates,
    rows,
    cols,
    X,
    y,
    regime,
    t: tArr,
    symbol,
    archiveEnd,
    pnl,
    pnlCols,
    market: {
      spy: opts.legs ? Float64Array.from(opts.legs.spy.returns) : dailyReturns(panel.price.get(MARKET_SYMBOL), n),
      tlt: opts.legs ? Float64Array.from(opts.legs.tlt.returns) : dailyReturns(panel.price.get(BOND_SYMBOL), n),
      spyOvernight: opts.legs?.spy.overnight ? Float64Array.from(opts.legs.spy.overnight) : new Float64Array(n).fill(NaN),
      tltOvernight: opts.legs?.tlt.overnight ? Float64Array.from(opts.legs.tlt.overnight) : new Float64Array(n).fill(NaN),
      cash: cash.daily,
    },
    marketNotes: { priceOnly: opts.legs ? [opts.legs.spy, opts.legs.tlt].filter((l) => l.priceOnly).map((l) => l.name) : [MARKET_SYMBOL, BOND_SYMBOL].filter((s) => priceOnly(panel, s)), cashSource: cash.source },
    replayWeight,
    replayRows,
    symbolReturns: task === 'signal' ? concat(features.symbols.map((s) => dailyReturns(panel.price.get(s), n))) : new Float64Array(0),
  };
  return cfg.placebo ? permuteTargetsInBlocks(ds, cfg.placebo.block, cfg.placebo.seed) : ds;
}
