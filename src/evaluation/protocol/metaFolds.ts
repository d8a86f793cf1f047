import type { Dataset } from '../../datasets/dataset';
import type { Matrix } from '../../models/classifier';
import { DEFAULT_META, MetaLearner, type MetaParams } from '../../models/metaLearner';
import type { FoldSpec } from '../../sampling/folds';
import { REGIMES } from '../../regimes/regimes';
import type { DatasetConfig } from '../../datasets/config';
import { canonicalJson, Sha256 } from '../../util/hash';
import { foldKey, META_KIND } from './candidates';
import type { FoldCache } from './runFold';

/**
 * At most this many (newest) out-of-sample rows fit a meta-learner: ~740 rows per input for 9
 * members x 3 classes. It was 60,000; at 500 stocks the 14 walk-forward meta fits then took
 * 115 s of the assessment (an auto choice = two cross-fits and a final fit each).
 */
export const MAX_META_ROWS = 20_000;

/** Out-of-sample member predictions on one evaluation window. */
export interface MemberFold {
  fold: FoldSpec;
  /** Dataset rows of the window, time-ordered. */
  rows: Int32Array;
  /** One rows x K probability matrix per member, in member order. */
  proba: Float64Array[];
}

function sideBySide(proba: Float64Array[], K: number, pick: (k: number) => number, n: number): Matrix {
  const M = proba.length;
  const out = new Float64Array(n * M * K);
  for (let r = 0; r < n; r++) {
    const src = pick(r);
    for (let m = 0; m < M; m++) out.set(proba[m].subarray(src * K, (src + 1) * K), (r * M + m) * K);
  }
  return { data: out, rows: n, cols: M * K };
}

/** What a walk-forward meta-learner fits on: stacked member probabilities, labels, weights, days. */
interface MetaTrainingSet {
  X: Matrix;
  y: Int32Array;
  w: Float64Array;
  rowDays: Int32Array;
}

/**
 * Every member prediction that was out of sample and whose label was known before
 * `decisionDay` - gap (purged), newest MAX_META_ROWS; null when fewer than 50.
 */
function metaTrainingSet(ds: Dataset, history: MemberFold[], decisionDay: number, gap: number, cfg: DatasetConfig): MetaTrainingSet | null {
  const K = ds.classNames.length;
  // A large universe pools millions of out-of-sample rows: the newest MAX_META_ROWS are plenty
  // for a combiner with a few dozen inputs, and they are the most relevant. Windows and their
  // rows are time-ordered, so walk back from the newest and stop there.
  const newest: { f: number; r: number }[] = [];
  for (let f = history.length - 1; f >= 0 && newest.length < MAX_META_ROWS; f--) {
    const rows = history[f].rows;
    for (let r = rows.length - 1; r >= 0 && newest.length < MAX_META_ROWS; r--) {
      if (ds.t[rows[r]] <= decisionDay - gap - 1) newest.push({ f, r });
    }
  }
  if (newest.length < 50) return null;
  const picks = newest.reverse();
  const M = history[0].proba.length;
  const X = new Float64Array(picks.length * M * K);
  picks.forEach((p, k) => {
    for (let m = 0; m < M; m++) X.set(history[p.f].proba[m].subarray(p.r * K, (p.r + 1) * K), (k * M + m) * K);
  });
  const rowIdx = picks.map((p) => history[p.f].rows[p.r]);
  return {
    X: { data: X, rows: picks.length, cols: M * K },
    y: Int32Array.from(rowIdx, (i) => ds.y[i]),
    w: Float64Array.from(rowIdx, (i) => cfg.regimeWeights[REGIMES[ds.regime[i]]]),
    rowDays: Int32Array.from(rowIdx, (i) => ds.t[i]),
  };
}

async function fitMeta(ds: Dataset, set: MetaTrainingSet, gap: number, cfg: DatasetConfig, params: Partial<MetaParams>): Promise<MetaLearner> {
  const meta = new MetaLearner({ ...DEFAULT_META, ...params });
  await meta.fit(set.X, set.y, set.w, { nClasses: ds.classNames.length, seed: cfg.seed, rowDays: set.rowDays, purgeDays: gap });
  return meta;
}

/**
 * Fits the meta-learner on every member prediction that was out of sample and whose label was
 * known before `decisionDay` - gap (purged): the walk-forward way to stack, with no extra member
 * fits. Null when there is nothing to fit on yet (the first fold: members are averaged).
 */
export async function fitMetaOnHistory(ds: Dataset, history: MemberFold[], decisionDay: number, gap: number, cfg: DatasetConfig, params: Partial<MetaParams> = {}): Promise<MetaLearner | null> {
  const set = metaTrainingSet(ds, history, decisionDay, gap, cfg);
  return set ? fitMeta(ds, set, gap, cfg, params) : null;
}

const bytesOf = (a: Float64Array | Int32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** Everything a window's meta fit depends on, hashed: the same inputs give the same fit. */
function trainingInputsHash(set: MetaTrainingSet, gap: number, cfg: DatasetConfig, K: number): string {
  const h = new Sha256().add(canonicalJson({ rows: set.X.rows, cols: set.X.cols, K, gap, seed: cfg.seed }));
  for (const a of [set.X.data, set.y, set.w, set.rowDays]) h.add(bytesOf(a));
  return h.hex();
}

function windowInputsHash(rows: Int32Array, X: Matrix): string {
  return new Sha256().add(bytesOf(rows)).add(bytesOf(X.data)).hex();
}

/** Where the walk-forward meta-learner's window fits are kept between runs: the fold cache, keyed by the meta configuration and exact inputs. */
export interface MetaWindowStore {
  cache: FoldCache;
  feed: string;
  /** The meta configuration's candidate hash (members and parameters). */
  candidateHash: string;
}

/** One window's out-of-sample meta predictions, from the store when the same fit on the same inputs was made before. */
async function metaWindow(ds: Dataset, history: MemberFold[], f: MemberFold, gap: number, cfg: DatasetConfig, params: Partial<MetaParams>, store?: MetaWindowStore): Promise<Float64Array> {
  const K = ds.classNames.length;
  const n = f.rows.length;
  const set = f.fold.test ? metaTrainingSet(ds, history, f.fold.test.from, gap, cfg) : null;
  if (!set) {
    const avg = new Float64Array(n * K);
    for (const p of f.proba) for (let q = 0; q < avg.length; q++) avg[q] += p[q] / f.proba.length;
    return avg;
  }
  const Xw = sideBySide(f.proba, K, (r) => r, n);
  // Rounded to float32 as stored predictions are, with or without a store: a reused window then decides exactly as a fresh one.
  if (!store) return Float64Array.from(Float32Array.from((await fitMeta(ds, set, gap, cfg, params)).predictProba(Xw)));
  const key = foldKey(store.candidateHash, store.feed, trainingInputsHash(set, gap, cfg, K));
  const testRowsHash = windowInputsHash(f.rows, Xw);
  const cached = await store.cache.get(key);
  if (cached && cached.testRowsHash === testRowsHash && cached.proba && cached.proba.length === n * K) return Float64Array.from(cached.proba);
  const started = Date.now();
  const artifact = cached ? await cached.artifact() : null;
  const meta = artifact ? MetaLearner.fromJSON(JSON.parse(artifact.toString('utf8'))) : await fitMeta(ds, set, gap, cfg, params);
  const proba = Float32Array.from(meta.predictProba(Xw));
  const first = ds.dates[set.rowDays[0]];
  const last = ds.dates[set.rowDays[set.rowDays.length - 1]];
  await store.cache.put({
    key,
    kind: META_KIND,
    candidateHash: store.candidateHash,
    trainFrom: first,
    trainTo: last,
    testFrom: ds.dates[f.fold.test!.from],
    testTo: ds.dates[f.fold.test!.to],
    testRowsHash,
    artifact: artifact ?? Buffer.from(JSON.stringify(meta.toJSON())),
    proba,
    summary: cached?.summary ?? { kind: META_KIND, trainRows: set.X.rows, sampleRows: set.X.rows, mix: [], archiveShare: 0, trainedFrom: first, trainedThrough: last, earlyStopping: null, report: { iterations: 1, notes: [`method ${meta.method}`] }, seconds: (Date.now() - started) / 1000 },
  });
  return Float64Array.from(proba);
}

/**
 * Meta-learner predictions on each window from the folds before it; the first fold averages
 * the members. With a store, a window whose inputs are unchanged since an earlier run (the
 * week after: every window but the newest) reuses that run's predictions instead of refitting.
 */
export async function metaOutOfSample(
  ds: Dataset,
  folds: MemberFold[],
  gap: number,
  cfg: DatasetConfig,
  params: Partial<MetaParams> = {},
  onProgress?: (what: string) => void,
  store?: MetaWindowStore,
): Promise<Float64Array[]> {
  const out: Float64Array[] = [];
  for (let k = 0; k < folds.length; k++) {
    // One meta-learner per window: the activity heartbeats between them (a large universe makes each take seconds).
    onProgress?.(`meta-learner window ${k + 1} of ${folds.length}`);
    out.push(await metaWindow(ds, folds.slice(0, k), folds[k], gap, cfg, params, store));
  }
  return out;
}
