import { describe, expect, it } from 'vitest';
import { parseChartWithActions } from '../../../src/data/sources/yahooChart';
import { actionsBetween } from '../../../src/data/corporateActions';

const ts = (d: string) => Date.parse(`${d}T14:30:00Z`) / 1000;
const chart = (events: unknown) => ({
  chart: {
    result: [{
      meta: { symbol: 'ACME', gmtoffset: -18000 },
      timestamp: [ts('2024-06-07'), ts('2024-06-10')],
      events,
      indicators: { quote: [{ open: [10, 5], high: [11, 6], low: [9, 4], close: [10, 5], volume: [1, 2] }], adjclose: [{ adjclose: [9.9, 5] }] },
    }],
  },
});

describe('Yahoo chart corporate actions', () => {
  it('parses splits (ratio = numerator / denominator) and dividends, dated like the bars', () => {
    const r = parseChartWithActions(
      chart({ splits: { [ts('2024-06-10')]: { date: ts('2024-06-10'), numerator: 10, denominator: 1, splitRatio: '10:1' } }, dividends: { [ts('2024-06-07')]: { date: ts('2024-06-07'), amount: 0.01 } } }),
      'ACME',
    );
    expect(r.bars.map((b) => b.date)).toEqual(['2024-06-07', '2024-06-10']);
    expect(r.actions).toEqual({ splits: [{ date: '2024-06-10', ratio: 10 }], dividends: [{ date: '2024-06-07', amount: 0.01 }] });
    expect(actionsBetween(r.actions, '2024-06-07', '2024-06-30')).toEqual({ splits: [{ date: '2024-06-10', ratio: 10 }], dividends: [] });
    expect(parseChartWithActions(chart(undefined), 'ACME').actions).toEqual({ splits: [], dividends: [] });
  });

  it('refuses a malformed event naming the series and field', () => {
    expect(() => parseChartWithActions(chart({ splits: { 1: { numerator: 2 } } }), 'ACME')).toThrow(/^yahoo:ACME, field "events\.splits": split 1 has no valid numerator\/denominator$/);
    expect(() => parseChartWithActions(chart({ dividends: { 1: { amount: -1 } } }), 'ACME')).toThrow(/field "events\.dividends": dividend 1 has no valid amount/);
  });
});
