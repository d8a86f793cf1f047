import { BOND_SYMBOL, MARKET_SYMBOL } from '../data/bars';
import { InsufficientDataError } from '../errors';
import { constantDailyCashRate, type DailyCashRate } from '../data/rates';
import { priceOnlyWithin, type ReturnCoverage } from '../data/totalReturn';
import type { BacktestAsset } from './assetReturns';
import { signalSymbolsOf } from '../data/universe';
import { taskFeatures } from '../features/featureRows';
import { marketFeatureInputs } from '../features/marketFeatures';
import type { Panel } from '../features/panel';
import { SIGNAL_CLASSES } from '../labels/signalLabeler';
import { undominatedStrategies } from '../labels/strategies';
import { labelStrategies } from '../labels/strategyLabeler';
import { crisisOf } from '../regimes/crisisArchive';
import type { DatasetConfig } from './config';
import { dayNumber, type Dataset, type Task } from './dataset';
import { shiftTargets } from './placebo';
import { canonicalJson } from '../util/hash';
import { concatTyped, dailyReturns, signalFeatureShard, usableRows, type FeatureShard, type SymbolRows } from './featureShard';

/** The daily cash rate per calendar day and where it came from (src/data/rates.ts). */
export type CashSeries = Pick<DailyCashRate, 'daily' | 'source'>;

/** How the SPY and TLT legs account for distributions: from the legs when given, else from the panel (the same bars, the same rule). */
function legCoverage(panel: Panel, legs: AssembleOptions['legs']): ReturnCoverage[] {
  if (legs) return [legs.spy, legs.tlt].map((l) => l.coverage).filter((c): c is ReturnCoverage => !!c);
  return [MARKET_SYMBOL, BOND_SYMBOL].map((s) => panel.coverage.get(s)).filter((c): c is ReturnCoverage => !!c);
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
  opts: AssembleOptions = {},
): Dataset {
  if (task === 'signal') {
    // The market features' inputs (cross-section, put/call source) are fixed for the whole dataset and stored with it.
    const marketInputs = marketFeatureInputs(panel);
    const symbols = signalSymbolsOf(cfg.signal.symbols, panel.price.keys());
    const shard = signalFeatureShard(panel, dayRegime, cfg, symbols, marketInputs);
    if (shard.symbols.length === 0) throw new InsufficientDataError(`none of the signal symbols [${symbols.join(', ')}] has bars`);
    return assembleDataset(panel, dayRegime, cfg, [shard], opts);
  }
  const marketInputs = marketFeatureInputs(panel);
  const features = taskFeatures(panel, task, [], marketInputs);
  const all = cfg.strategy.strategies;
  const kept = cfg.strategy.prune === 'dominated' ? undominatedStrategies(all) : all.map((_, i) => i);
  const defs = kept.map((i) => all[i]);
  const { label, pnl } = labelStrategies(panel, { ...cfg.strategy, strategies: defs }, cashOf(panel, cfg, opts.cash).daily);
  const rows = { symbol: features.symbols[0], ...usableRows(features.matrix(0), label, pnl, defs.length, dayRegime), returns: new Float64Array(0) };
  const layout = { task, classNames: defs.map((s) => s.name), allocations: defs, horizon: cfg.strategy.horizon, executionLag: cfg.strategy.executionLag, pnlCols: defs.length };
  return assembleRows(panel, dayRegime, cfg, { featureNames: features.names, marketInputs, symbols: [rows] }, layout, opts);
}

/** Assembly options: the same as buildDataset's. */
export type AssembleOptions = { cash?: CashSeries; replay?: { keys: Set<string>; weight: number }; legs?: { spy: BacktestAsset; tlt: BacktestAsset } };

function cashOf(panel: Panel, cfg: DatasetConfig, given: CashSeries | undefined): CashSeries {
  const n = panel.dates.length;
  const cash = given ?? { ...constantDailyCashRate(n, cfg.strategy.cashRate), source: `constant ${(cfg.strategy.cashRate * 100).toFixed(2)}% a year (no cash-rate series ingested: set --cash-rate-file)` };
  if (cash.daily.length !== n) throw new RangeError(`cash series has ${cash.daily.length} days, calendar ${n}`);
  return cash;
}

/**
 * Pass 2 of the signal task from pass-1 shards given in universe order: the same Dataset,
 * bit for bit, as one buildDataset over the whole universe. `panel` needs only the market
 * inputs (calendar, legs, cross-section); every shard must have been built over the same
 * calendar and market-feature inputs, which is checked.
 */
export function assembleDataset(panel: Panel, dayRegime: Int8Array, cfg: DatasetConfig, shards: FeatureShard[], opts: AssembleOptions = {}): Dataset {
  const marketInputs = marketFeatureInputs(panel);
  const expected = canonicalJson(marketInputs);
  const filled = shards.filter((s) => s.symbols.length > 0);
  if (filled.length === 0) throw new InsufficientDataError('none of the signal symbols has bars');
  for (const s of shards) {
    if (s.days !== panel.dates.length) throw new RangeError(`a feature shard covers ${s.days} days, calendar ${panel.dates.length}`);
    if (canonicalJson(s.marketInputs) !== expected) throw new RangeError(`a feature shard's market inputs differ from the run's: ${canonicalJson(s.marketInputs)} vs ${expected}`);
  }
  const featureNames = filled[0].featureNames;
  if (filled.some((s) => s.featureNames.join() !== featureNames.join())) throw new RangeError('feature shards disagree on the feature names');
  const layout = { task: 'signal' as const, classNames: [...SIGNAL_CLASSES], allocations: null, horizon: cfg.signal.horizon, executionLag: cfg.signal.executionLag, pnlCols: 1 };
  return assembleRows(panel, dayRegime, cfg, { featureNames, marketInputs, symbols: filled.flatMap((s) => s.symbols) }, layout, opts);
}

type Layout = Pick<Dataset, 'task' | 'classNames' | 'allocations' | 'horizon' | 'executionLag' | 'pnlCols'>;

/** Pass 2: rows in (day, symbol) order, weights and the market legs. */
function assembleRows(panel: Panel, dayRegime: Int8Array, cfg: DatasetConfig, parts: { featureNames: string[]; marketInputs: Dataset['marketInputs']; symbols: SymbolRows[] }, layout: Layout, opts: AssembleOptions): Dataset {
  const n = panel.dates.length;
  const { task, pnlCols } = layout;
  const cash = cashOf(panel, cfg, opts.cash);
  const perSymbol = parts.symbols;
  const cols = parts.featureNames.length;
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
      y[i] = p.label[r];
      regime[i] = dayRegime[t];
      tArr[i] = t;
      symbol[i] = k;
      archiveEnd[i] = crisis ? dayNumber(crisis.end) : 0;
      pnl.set(p.pnl.subarray(r * pnlCols, (r + 1) * pnlCols), i * pnlCols);
      if (opts.replay?.keys.has(`${dayNumber(panel.dates[t])}:${p.symbol}`)) {
        replayWeight[i] = opts.replay.weight;
        replayRows++;
      }
      i++;
    }
  }
  const ds: Dataset = {
    ...layout,
    featureNames: parts.featureNames,
    marketInputs: parts.marketInputs,
    symbols: perSymbol.map((p) => p.symbol),
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
    market: {
      spy: opts.legs ? Float64Array.from(opts.legs.spy.returns) : dailyReturns(panel.price.get(MARKET_SYMBOL), n),
      tlt: opts.legs ? Float64Array.from(opts.legs.tlt.returns) : dailyReturns(panel.price.get(BOND_SYMBOL), n),
      spyOvernight: opts.legs?.spy.overnight ? Float64Array.from(opts.legs.spy.overnight) : new Float64Array(n).fill(NaN),
      tltOvernight: opts.legs?.tlt.overnight ? Float64Array.from(opts.legs.tlt.overnight) : new Float64Array(n).fill(NaN),
      cash: cash.daily,
    },
    marketNotes: (() => {
      const coverage = legCoverage(panel, opts.legs);
      const end = panel.dates[n - 1];
      return { priceOnly: coverage.filter((c) => priceOnlyWithin(c, end)).map((c) => c.symbol), coverage, cashSource: cash.source };
    })(),
    replayWeight,
    replayRows,
    symbolReturns: task === 'signal' ? concatTyped(Float64Array, perSymbol.map((p) => p.returns)) : new Float64Array(0),
  };
  return cfg.placebo ? shiftTargets(ds, cfg.placebo.seed, cfg.placebo.minShiftDays) : ds;
}
