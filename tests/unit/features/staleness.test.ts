import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../src/data/bars';
import { buildPanel } from '../../../src/features/panel';

const day = (i: number) => new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
const bar = (date: string, close: number): Bar => ({ date, open: close, high: close + 1, low: close - 1, close, adjClose: close, volume: 10 });
/** SPY on days 0..29 (the calendar); `skip` days are missing from the other series. */
function bars(other: Record<string, (i: number) => boolean>): Map<string, Bar[]> {
  const m = new Map<string, Bar[]>([['SPY', Array.from({ length: 30 }, (_, i) => bar(day(i), 100 + i))]]);
  for (const [s, has] of Object.entries(other)) m.set(s, Array.from({ length: 30 }, (_, i) => i).filter(has).map((i) => bar(day(i), 50 + i)));
  return m;
}

describe('forward fill is limited to maxStaleDays', () => {
  it('carries a value over at most 5 trading days, then the series is missing until it trades again', () => {
    const p = buildPanel(bars({ VIX: () => true, TLT: () => true, XLK: (i) => i < 10 || i >= 18 }));
    const xlk = Array.from(p.price.get('XLK')!);
    expect(xlk.slice(9, 19)).toEqual([59, 59, 59, 59, 59, 59, NaN, NaN, NaN, 68]);
    // Stale days have no range and no volume: nothing traded.
    expect(p.high.get('XLK')![12]).toBe(59);
    expect(p.volume.get('XLK')![12]).toBeNaN();
    expect(p.warnings).toEqual([{ code: 'stale_gap', message: 'XLK has no bar for more than 5 trading days: missing from 2020-01-16 to 2020-01-18', series: { XLK: '2020-01-16' } }]);
  });

  it('maxStaleDays is configurable; 0 means no forward fill at all', () => {
    const p = buildPanel(bars({ XLK: (i) => i !== 3 }), { maxStaleDays: 0 });
    expect(p.price.get('XLK')![3]).toBeNaN();
    expect(p.price.get('XLK')![4]).toBe(54);
    expect(() => buildPanel(bars({}), { maxStaleDays: -1 })).toThrow(RangeError);
  });

  it('a required series that ends early is missing after maxStaleDays, with a warning naming the series and dates', () => {
    const p = buildPanel(bars({ VIX: () => true, TLT: (i) => i <= 20 }));
    expect(p.price.get('TLT')![25]).toBe(70);
    expect(p.price.get('TLT')![26]).toBeNaN();
    expect(p.warnings).toHaveLength(1);
    expect(p.warnings[0].code).toBe('required_series_end_dates');
    expect(p.warnings[0].series).toEqual({ SPY: '2020-01-30', TLT: '2020-01-21', VIX: '2020-01-30' });
    expect(p.warnings[0].message).toBe('required series end on different dates: SPY 2020-01-30, TLT 2020-01-21, VIX 2020-01-30; TLT is missing (NaN) from 2020-01-27 (maxStaleDays 5)');
    expect(p.lastBar.get('TLT')).toBe('2020-01-21');
  });

  it('no warning when the required series end together', () => {
    expect(buildPanel(bars({ VIX: () => true, TLT: () => true })).warnings).toEqual([]);
  });
});
