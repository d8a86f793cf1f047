import type { Rng } from '../../util/rng';

/**
 * Default mean block length, in time units (days): max(2·horizon, ⌈units^(1/3)⌉).
 * Why: the MSE-optimal expected block length of the stationary bootstrap grows like n^(1/3)
 * (Politis & White 2004, Lahiri 2003), and h-day overlapping labels make per-row outcomes
 * dependent up to lag h − 1 by construction, so a block must span a couple of horizons for
 * that dependence to survive resampling. 252 days, h = 5 -> 10; 6,000 days -> 19.
 */
export function defaultMeanBlock(units: number, horizon = 1): number {
  if (!(units >= 1)) throw new RangeError(`defaultMeanBlock: units must be >= 1, got ${units}`);
  if (!(horizon >= 1)) throw new RangeError(`defaultMeanBlock: horizon must be >= 1, got ${horizon}`);
  return Math.max(2 * Math.ceil(horizon), Math.ceil(Math.cbrt(units)));
}

export interface StationaryBootstrapOptions {
  /**
   * Time unit (e.g. day number) of every row, rows in time order. All rows of one unit move
   * together, so several symbols on one day stay one observation of the market. Absent: each
   * row is its own unit.
   */
  groups?: ArrayLike<number>;
  /** Mean block length in units; default `defaultMeanBlock(units, horizon)`. */
  meanBlock?: number;
  /** Label horizon in units, for the default block length. */
  horizon?: number;
}

/**
 * The stationary bootstrap of Politis & Romano (1994, JASA 89:1303): blocks of consecutive
 * units with geometric lengths of mean `meanBlock`, starting at uniform positions, wrapping
 * around the end, until as many units as the sample has are drawn. Rows are emitted unit by
 * unit, so a resample's row count varies slightly when units hold different numbers of rows.
 */
export class StationaryBootstrap {
  readonly units: number;
  readonly meanBlock: number;
  /** Upper bound on the rows of one resample: size output buffers with it. */
  readonly capacity: number;
  private readonly unitStart: Int32Array;
  private readonly unitEnd: Int32Array;

  constructor(
    readonly rows: number,
    private readonly rng: Rng,
    opts: StationaryBootstrapOptions = {},
  ) {
    if (!(Number.isInteger(rows) && rows >= 1)) throw new RangeError(`StationaryBootstrap: rows must be a positive integer, got ${rows}`);
    const starts: number[] = [0];
    if (opts.groups) {
      const g = opts.groups;
      if (g.length !== rows) throw new RangeError(`StationaryBootstrap: groups has ${g.length} entries for ${rows} rows`);
      for (let i = 1; i < rows; i++) {
        if (!(g[i] >= g[i - 1])) throw new RangeError(`StationaryBootstrap: rows must be time-ordered, but groups[${i}] = ${g[i]} < groups[${i - 1}] = ${g[i - 1]}`);
        if (g[i] !== g[i - 1]) starts.push(i);
      }
    } else {
      for (let i = 1; i < rows; i++) starts.push(i);
    }
    this.units = starts.length;
    this.unitStart = Int32Array.from(starts);
    this.unitEnd = Int32Array.from(starts, (_, u) => (u + 1 < starts.length ? starts[u + 1] : rows));
    let widest = 0;
    for (let u = 0; u < this.units; u++) widest = Math.max(widest, this.unitEnd[u] - this.unitStart[u]);
    this.capacity = widest * this.units;
    this.meanBlock = opts.meanBlock ?? defaultMeanBlock(this.units, opts.horizon ?? 1);
    if (!(this.meanBlock >= 1)) throw new RangeError(`StationaryBootstrap: meanBlock must be >= 1, got ${this.meanBlock}`);
  }

  /** Writes one resample's row indices into `out` (length >= capacity); returns the count. */
  sample(out: Int32Array): number {
    const restart = 1 / this.meanBlock;
    let len = 0;
    let unit = 0;
    for (let k = 0; k < this.units; k++) {
      unit = k === 0 || this.rng.next() < restart ? this.rng.int(this.units) : unit + 1 === this.units ? 0 : unit + 1;
      for (let r = this.unitStart[unit]; r < this.unitEnd[unit]; r++) out[len++] = r;
    }
    return len;
  }
}
