import { Rng } from '../../util/rng';
import type { Bar } from '../bars';
import type { FetchRequest, MarketSource, SourceBatch } from './types';

function seedOf(symbol: string): number {
  let h = 2166136261;
  for (const c of symbol) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h;
}

/**
 * A synthetic market with a planted, genuinely predictable effect, for tests that must see a
 * real edge promoted. Each traded series gets a hidden daily sign s_t (seeded per symbol, fresh
 * every day, so yesterday's label says nothing about it); the day's volume reveals it (x1.6 or
 * x0.4), and day t+2's log return moves by `strength` * s_t (in logs, so the level does not
 * drift). A model that reads volume at
 * close t and trades at the next close can earn it; label persistence and class priors cannot.
 * Nothing about the future leaks into day t's features.
 */
export function plantVolumeSignal(symbol: string, bars: Bar[], strength: number): Bar[] {
  const rng = new Rng(seedOf(symbol));
  const s = bars.map(() => (rng.next() < 0.5 ? -1 : 1));
  const close = bars.map((b) => b.adjClose ?? b.close);
  const out: number[] = [close[0]];
  for (let t = 1; t < bars.length; t++) {
    out.push(out[t - 1] * (close[t] / close[t - 1]) * Math.exp(t >= 2 ? strength * s[t - 2] : 0));
  }
  return bars.map((b, t) => {
    const k = out[t] / close[t];
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
  ) {}

  async fetch(req: FetchRequest): Promise<SourceBatch[]> {
    // Planting rewrites whole histories, so this source always serves full series.
    const batches = await this.inner.fetch({ ...req, lastStored: new Map() });
    return batches.map((b) => (this.untouched.includes(b.symbol) ? b : { ...b, bars: plantVolumeSignal(b.symbol, b.bars, this.strength) }));
  }
}
