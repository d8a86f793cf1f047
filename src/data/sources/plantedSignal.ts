import { Rng } from '../../util/rng';
import type { Bar } from '../bars';
import type { FetchRequest, MarketSource, PlantedShape, SourceBatch } from './types';

function seedOf(symbol: string): number {
  let h = 2166136261;
  for (const c of symbol) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h;
}

/**
 * The largest planted edge (daily log-return size) the generator supports: the one limit the
 * CLI, the run config and the README state. Up to it, every generated series stays inside the
 * plausible price range validation enforces (tested over many seeds through 2026).
 */
export const MAX_PLANTED_EDGE = 0.05;

/**
 * Daily pull of the planted component back toward the unplanted path. The planted moves
 * E·s are a random walk in logs (sd E·√days: at E = 0.05 SPY left its plausible range within
 * ten years); with this pull the component is stationary (sd ≈ E/√(2κ) ≈ 3.2E, at most a factor
 * of ~2 at the largest edge over 26 years) and adds a drift of −κ·z to each day, spread over
 * ~20 days, that no feature sees.
 */
const REVERSION = 0.05;

/**
 * A synthetic market with a planted, genuinely predictable effect, for tests and audits that
 * must see a real edge promoted. Each traded series gets a hidden daily sign s_t (seeded per
 * symbol, fresh every day, so yesterday's label says nothing about it); the day's volume reveals
 * it (x1.6 or x0.4), and day t+2's log return moves by `strength` * s_t. A model that reads
 * volume at close t and trades at the next close can earn it; label persistence and class
 * priors cannot. Nothing about the future leaks into day t's features.
 */
export function plantVolumeSignal(symbol: string, bars: Bar[], strength: number, shape: PlantedShape = {}, vixByDate: Map<string, number> | null = null): Bar[] {
  if (!(strength > 0 && strength <= MAX_PLANTED_EDGE)) throw new RangeError(`planted edge must be in (0, ${MAX_PLANTED_EDGE}], got ${strength}`);
  const rng = new Rng(seedOf(symbol));
  const s = bars.map(() => (rng.next() < 0.5 ? -1 : 1));
  // The edge day t's volume reveals: reversed from `reverseOn` on, absent on calm days when `minVix` is set.
  const edge = bars.map((b) => {
    if (shape.minVix !== undefined && !((vixByDate?.get(b.date) ?? 0) >= shape.minVix)) return 0;
    return shape.reverseOn !== undefined && b.date >= shape.reverseOn ? -strength : strength;
  });
  // z_t: the planted log offset from the unplanted path; day t's log return gains z_t − z_{t−1} = strength·s_{t−2} − κ·z_{t−1}.
  const z = new Float64Array(bars.length);
  for (let t = 1; t < bars.length; t++) z[t] = (1 - REVERSION) * z[t - 1] + (t >= 2 ? edge[t - 2] * s[t - 2] : 0);
  return bars.map((b, t) => {
    const k = Math.exp(z[t]);
    return {
      ...b,
      open: b.open === null ? null : b.open * k,
      high: b.high * k,
      low: b.low * k,
      close: b.close * k,
      adjClose: b.adjClose === null ? null : b.adjClose * k,
      volume: b.volume === null ? null : Math.round(b.volume * (s[t] > 0 ? 1.6 : 0.4)),
    };
  });
}

/** Wraps a source (normally the synthetic market) and plants the volume-revealed signal in every equity series (not VIX, the put/call ratio or the bond leg). */
export class PlantedSignalSource implements MarketSource {
  constructor(
    private readonly inner: MarketSource,
    readonly feed: string,
    private readonly strength: number,
    private readonly untouched: string[] = ['VIX', 'PCR', 'TLT'],
    private readonly shape: PlantedShape = {},
  ) {}

  async fetch(req: FetchRequest): Promise<SourceBatch[]> {
    // Planting rewrites whole histories, so this source always serves full series.
    const batches = await this.inner.fetch({ ...req, lastStored: new Map() });
    const vix = batches.find((b) => b.symbol === 'VIX');
    const vixByDate = vix ? new Map(vix.bars.map((b) => [b.date, b.close])) : null;
    if (this.shape.minVix !== undefined && !vixByDate) throw new RangeError('a planted edge limited by VIX needs the VIX series in the batch');
    return batches.map((b) => (this.untouched.includes(b.symbol) ? b : { ...b, bars: plantVolumeSignal(b.symbol, b.bars, this.strength, this.shape, vixByDate) }));
  }
}
