import { describe, expect, it } from 'vitest';
import { parseBarsCsv } from '../../../src/data/csvParser';
import { validateBars } from '../../../src/data/validation';

const HEADER = 'date,open,high,low,close,adj_close,volume';
const check = (symbol: string, rows: string[]) => {
  const { bars, lines } = parseBarsCsv([HEADER, ...rows].join('\n'), `${symbol}.csv`);
  return validateBars(symbol, bars, { file: `${symbol}.csv`, lines });
};

describe('bar validation names file, row and field', () => {
  it('accepts good rows and counts repairable warnings', () => {
    const w = check('SPY', ['2020-01-02,,101,99,100,100,', '2020-01-03,102,101,99,100,100,1000', '2020-01-10,100,101,99,100,100,1000']);
    expect(w).toEqual({ openOutsideRange: 1, closeOutsideRange: 0, blankOpen: 1, missingVolume: 1, calendarGaps: 1 });
  });
  it.each([
    [['2020-13-02,100,101,99,100,100,1'], /SPY\.csv, row 2, field "date": unparsable date/],
    [['2020-01-02,100,101,99,100,100,1', '2020-01-02,100,101,99,100,100,1'], /row 3, field "date": duplicate date/],
    [['2020-01-03,100,101,99,100,100,1', '2020-01-02,100,101,99,100,100,1'], /row 3, field "date": dates not ascending/],
    [['2020-01-02,100,101,99,-5,100,1'], /row 2, field "close": non-positive price/],
    [['2020-01-02,100,98,99,100,100,1'], /row 2, field "high": high 98 < low 99/],
    [['2020-01-02,100,101,99,NaN,100,1'], /row 2, field "close": "NaN" is not a number/],
    [['2020-01-02,100,101,,100,100,1'], /row 2, field "low": blank required field/],
  ])('rejects %j', (rows, message) => {
    expect(() => check('SPY', rows)).toThrow(message);
  });
  it('catches VIXY mapped as VIX by the plausibility range', () => {
    expect(() => check('VIX', ['2020-01-02,600000,610000,590000,600000,,1'])).toThrow(/VIX\.csv, row 2, field "close".*VIXY/);
  });
  it('rejects a header without required columns', () => {
    expect(() => parseBarsCsv('date,open,close\n2020-01-02,1,1', 'X.csv')).toThrow(/X\.csv, row 1, field "high"/);
  });
});
