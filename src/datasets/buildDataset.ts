import { signalSymbolsOf } from '../data/universe';
import { InsufficientDataError } from '../errors';
import { computeMarketFeatures, type FeatureMatrix } from '../features/marketFeatures';
import type { Panel } from '../features/panel';
import { computeSymbolFeatures } from '../features/signalFeatures';
import { fitStandardizer } from '../features/standardize';
import { labelSignals, SIGNAL_CLASSES } from '../labels/signalLabeler';
import { labelStrategies } from '../labels/strategyLabeler';
import { crisisOf } from '../regimes/crisisArchive';
import { balancedSample, regimeSampleWeights } from '../sampling/balancedSampler';
import { walkForwardSplit, type Split } from '../sampling/splits';
import type { DatasetConfig } from './config';
import { dayNumber, SPLIT_TEST, SPLIT_TRAIN, SPLIT_VALIDATION, type Dataset, type Task } from './dataset';

interface RowSource {
  featureNames: string[];
  classNames: string[];
  symbols: string[];
  horizon: number;
  pnlCols: number;
  /** Per symbol: features (n x cols), label per day, pnl per day (n x pnlCols), next-day return (n x pnlCols). */
  perSymbol: { features: FeatureMatrix; label: Int32Array; pnl: Float64Array; next: Float64Array }[];
  sampleSize?: number;
}

function strategyRows(panel: Panel, cfg: DatasetConfig): RowSource {
  const features = computeMarketFeatures(panel);
  const { label, pnl, next } = labelStrategies(panel, { ...cfg.strategy });
  return {
    featureNames: features.names,
    classNames: cfg.strategy.strategies.map((s) => s.name),
    symbols: ['SPY'],
    horizon: cfg.strategy.horizon,
    pnlCols: cfg.strategy.strategies.length,
    perSymbol: [{ features, label, pnl, next }],
  };
}

function signalRows(panel: Panel, cfg: DatasetConfig): RowSource {
  const market = computeMarketFeatures(panel);
  const symbols = signalSymbolsOf(cfg.signal.symbols, panel.price.keys());
  if (symbols.length === 0) throw new InsufficientDataError(`none of the signal symbols [${cfg.signal.symbols === 'all' ? 'all' : cfg.signal.symbols.join(', ')}] has bars`);
  const perSymbol = symbols.map((s) => {
    const own = computeSymbolFeatures(panel, s);
    const n = own.rows;
    const d = own.names.length + market.names.length;
    const values = new Float64Array(n * d);
    for (let t = 0; t < n; t++) {
      values.set(own.values.subarray(t * own.names.length, (t + 1) * own.names.length), t * d);
      values.set(market.values.subarray(t * market.names.length, (t + 1) * market.names.length), t * d + own.names.length);
    }
    const { label, forwardReturn, next } = labelSignals(panel, s, cfg.signal);
    return { features: { names: [...own.names, ...market.names], values, rows: n }, label, pnl: forwardReturn, next };
  });
  return {
    featureNames: perSymbol[0].features.names,
    classNames: [...SIGNAL_CLASSES],
    symbols,
    horizon: cfg.signal.horizon,
    pnlCols: 1,
    perSymbol,
    sampleSize: cfg.signal.sampleSize,
  };
}

function rowUsable(f: FeatureMatrix, t: number, label: Int32Array, regime: Int8Array): boolean {
  if (label[t] < 0 || regime[t] < 0) return false;
  const d = f.names.length;
  for (let j = 0; j < d; j++) if (!Number.isFinite(f.values[t * d + j])) return false;
  return true;
}

/**
 * Builds the labelled, split, balanced dataset for one task from bars that end at the as-of
 * date. Labels need `horizon` future days, so the last `horizon` days are never labelled:
 * nothing after as-of can leak in.
 */
/** `dayRegime[t]` is the regime index of panel day t (-1 = unknown). */
export function buildDataset(panel: Panel, dayRegime: Int8Array, task: Task, cfg: DatasetConfig, opts: { replay?: { keys: Set<string>; weight: number } } = {}): Dataset {
  const src = task === 'strategy' ? strategyRows(panel, cfg) : signalRows(panel, cfg);
  const n = panel.dates.length;
  let firstUsable = n;
  let lastLabelled = -1;
  for (const s of src.perSymbol) {
    for (let t = 0; t < n; t++) {
      if (rowUsable(s.features, t, s.label, dayRegime)) {
        firstUsable = Math.min(firstUsable, t);
        lastLabelled = Math.max(lastLabelled, t);
      }
    }
  }
  if (lastLabelled < 0) throw new InsufficientDataError(`no usable ${task} rows: features or labels are never complete`);
  const split: Split = walkForwardSplit(firstUsable, lastLabelled, { ...cfg.split, horizon: src.horizon });
  if (cfg.split.trainWindowDays) split.train[0] = Math.max(split.train[0], split.train[1] - cfg.split.trainWindowDays + 1);
  const splitOf = (t: number) =>
    t >= split.train[0] && t <= split.train[1] ? SPLIT_TRAIN : t >= split.validation[0] && t <= split.validation[1] ? SPLIT_VALIDATION : t >= split.test[0] && t <= split.test[1] ? SPLIT_TEST : -1;

  const cols = src.featureNames.length;
  const X: number[] = [];
  const y: number[] = [];
  const regime: number[] = [];
  const splitArr: number[] = [];
  const day: number[] = [];
  const symbol: number[] = [];
  const pnl: number[] = [];
  const next: number[] = [];
  const marketNext: number[] = [];
  const spyPx = panel.price.get('SPY')!;
  const inArchive: boolean[] = [];
  for (let t = 0; t < n; t++) {
    const sp = splitOf(t);
    if (sp < 0) continue;
    src.perSymbol.forEach((s, si) => {
      if (!rowUsable(s.features, t, s.label, dayRegime)) return;
      for (let j = 0; j < cols; j++) X.push(s.features.values[t * cols + j]);
      y.push(s.label[t]);
      regime.push(dayRegime[t]);
      splitArr.push(sp);
      day.push(dayNumber(panel.dates[t]));
      symbol.push(si);
      inArchive.push(cfg.includeCrisisArchive && crisisOf(panel.dates[t]) !== undefined);
      for (let j = 0; j < src.pnlCols; j++) pnl.push(s.pnl[t * src.pnlCols + j]);
      for (let j = 0; j < src.pnlCols; j++) next.push(s.next[t * src.pnlCols + j]);
      marketNext.push(t + 1 < n ? spyPx[t + 1] / spyPx[t] - 1 : NaN);
    });
  }
  const rows = y.length;
  const Xf = Float64Array.from(X);
  const regimeArr = Int8Array.from(regime);
  const trainRows = splitArr.flatMap((s, i) => (s === SPLIT_TRAIN ? [i] : []));
  const standardizer = fitStandardizer(Xf, rows, cols, trainRows);
  const dates = panel.dates;
  const archive = cfg.includeCrisisArchive ? trainRows.map((i) => inArchive[i]) : null;
  const sample = balancedSample(
    trainRows.map((i) => regime[i]),
    archive,
    { targetMix: cfg.sampler.targetMix, maxOversample: cfg.sampler.maxOversample, seed: cfg.seed, size: src.sampleSize ? Math.min(src.sampleSize, trainRows.length * 2) : undefined },
  );
  let trainSample = Int32Array.from(sample.indices, (k) => trainRows[k]);
  const weight = regimeSampleWeights(regimeArr, cfg.regimeWeights);
  // Error replay: the champion's past mistakes that now lie in the training window (never in
  // validation or test) are always sampled and weigh more.
  let replayRows = 0;
  if (opts.replay && opts.replay.keys.size > 0) {
    const inSample = new Set(trainSample);
    const extra: number[] = [];
    for (const i of trainRows) {
      if (!opts.replay.keys.has(`${day[i]}:${src.symbols[symbol[i]]}`)) continue;
      weight[i] *= opts.replay.weight;
      replayRows++;
      if (!inSample.has(i)) extra.push(i);
    }
    if (extra.length > 0) trainSample = Int32Array.from([...trainSample, ...extra]).sort();
  }
  return {
    task,
    featureNames: src.featureNames,
    classNames: src.classNames,
    symbols: src.symbols,
    rows,
    cols,
    X: Xf,
    y: Int32Array.from(y),
    regime: regimeArr,
    split: Int8Array.from(splitArr),
    day: Int32Array.from(day),
    symbol: Int16Array.from(symbol),
    weight,
    trainSample,
    replayRows,
    pnl: Float64Array.from(pnl),
    next: Float64Array.from(next),
    marketNext: Float64Array.from(marketNext),
    pnlCols: src.pnlCols,
    standardizer,
    splitDays: split,
    splitDates: {
      train: [dates[split.train[0]], dates[split.train[1]]],
      validation: [dates[split.validation[0]], dates[split.validation[1]]],
      test: [dates[split.test[0]], dates[split.test[1]]],
    },
    mix: sample.mix,
  };
}
