import { Rng } from '../../util/rng';
import type { Bar } from '../bars';

/**
 * N synthetic stocks S0001, S0002, ... for scale tests, with the cross-sectional structure of
 * real equities: return = beta × market + loading × own sector's residual + idiosyncratic
 * noise (+ a small drift). Each stock has its own seeded stream, drawn only while it is
 * listed, so S0001's path is the same whatever N or the end date; ~30% list up to ten years
 * late and ~10% delist, so a universe has ragged starts and ends like a real one.
 * Prices live in Float32 columns (one per field), not in bar objects, until a fetch asks.
 */
export function syntheticStockName(i: number): string {
  return `S${String(i + 1).padStart(4, '0')}`;
}

const SQRT_252 = Math.sqrt(252);
/** Bounds a generated day (see MAX_DAILY_LOG_MOVE in syntheticMarket.ts). */
const MAX_LOG_MOVE = Math.log(1.35);
const MIN_LOG_MOVE = Math.log(0.65);

interface StockParams {
  rng: Rng;
  sector: number;
  beta: number;
  load: number;
  idioVol: number;
  drift: number;
  baseVolume: number;
  price: number;
  listAt: number;
  delistAt: number;
}

export class SyntheticStocks {
  readonly names: string[];
  readonly open: Float32Array[];
  readonly high: Float32Array[];
  readonly low: Float32Array[];
  readonly close: Float32Array[];
  readonly volume: Float32Array[];
  private readonly params: StockParams[];

  constructor(seed: number, count: number, days: number, sectors: number) {
    if (!(Number.isInteger(count) && count >= 0)) throw new RangeError(`stocks must be a non-negative integer, got ${count}`);
    this.names = Array.from({ length: count }, (_, i) => syntheticStockName(i));
    const cols = () => Array.from({ length: count }, () => new Float32Array(days));
    [this.open, this.high, this.low, this.close, this.volume] = [cols(), cols(), cols(), cols(), cols()];
    this.params = this.names.map((_, i) => {
      const rng = new Rng((Math.imul(seed + 1, 0x85ebca6b) ^ Math.imul(i + 1, 0xc2b2ae35)) >>> 0);
      const listAt = rng.next() < 0.3 ? rng.int(2520) : 0;
      const delistAt = rng.next() < 0.1 ? listAt + 500 + rng.int(4500) : Number.POSITIVE_INFINITY;
      return {
        rng,
        sector: i % sectors,
        beta: 0.6 + 1.0 * rng.next(),
        load: 0.4 + 0.8 * rng.next(),
        idioVol: 0.12 + 0.23 * rng.next(),
        drift: (-0.02 + 0.14 * rng.next()) / 252,
        baseVolume: Math.exp(Math.log(2e5) + (Math.log(5e7) - Math.log(2e5)) * rng.next()),
        price: Math.exp(Math.log(5) + (Math.log(300) - Math.log(5)) * rng.next()),
        listAt,
        delistAt,
      };
    });
  }

  /** One trading day: `marketReturn` and each sector's residual (its return beyond beta × market). */
  step(day: number, marketReturn: number, sectorResidual: Float64Array, dailyVol: number, volMult: number): void {
    const noise = Math.sqrt(volMult) / SQRT_252;
    for (let k = 0; k < this.params.length; k++) {
      const s = this.params[k];
      if (day < s.listAt || day >= s.delistAt) continue;
      const rng = s.rng;
      const r = Math.min(MAX_LOG_MOVE, Math.max(MIN_LOG_MOVE, s.beta * marketReturn + s.load * sectorResidual[s.sector] + s.drift + s.idioVol * noise * rng.normal()));
      const prev = s.price;
      const close = prev * Math.exp(r);
      const sv = Math.sqrt((s.beta * dailyVol) ** 2 + (s.idioVol * s.idioVol) / 252);
      const open = prev * Math.exp(0.25 * sv * rng.normal());
      const range = Math.abs(rng.normal()) * sv * 0.6;
      this.open[k][day] = open;
      this.high[k][day] = Math.max(open, close) * (1 + range);
      this.low[k][day] = Math.min(open, close) * (1 - range * 0.9);
      this.close[k][day] = close;
      this.volume[k][day] = Math.round(s.baseVolume * (0.6 + 0.4 * volMult) * Math.exp(0.25 * rng.normal()));
      s.price = close;
    }
  }

  /** The bars of stock `k` over the first `days` days (its listed span only). */
  bars(k: number, dates: string[]): Bar[] {
    const s = this.params[k];
    const out: Bar[] = [];
    const end = Math.min(dates.length, s.delistAt);
    for (let i = s.listAt; i < end; i++) {
      const close = this.close[k][i];
      out.push({ date: dates[i], open: this.open[k][i], high: this.high[k][i], low: this.low[k][i], close, adjClose: close, volume: this.volume[k][i] });
    }
    return out;
  }
}
