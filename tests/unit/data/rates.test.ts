import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bondEquivalentYield, constantDailyCashRate, laggedDailyCashRate, parseFredCsv } from '../../../src/data/rates';
import { InvalidMarketDataError } from '../../../src/errors';
import { realDataDir } from '../../helpers/realData';

describe('FRED rate parser', () => {
  it('parses blanks, "." and negative values', () => {
    const s = parseFredCsv('observation_date,DTB3\n2015-09-30,-0.02\n2015-10-01,\n2015-10-02,.\n2015-10-05,0.01\n', 'DTB3.csv', 'DTB3');
    expect(s.id).toBe('DTB3');
    expect(s.dates).toEqual(['2015-09-30', '2015-10-01', '2015-10-02', '2015-10-05']);
    expect(s.values[0]).toBe(-0.02);
    expect(Number.isNaN(s.values[1]) && Number.isNaN(s.values[2])).toBe(true);
  });

  it('errors name file, row and field', () => {
    const bad = (text: string) => () => parseFredCsv(text, 'r.csv', 'DTB3');
    expect(bad('date,DTB3\n2020-01-01,1')).toThrow(/r\.csv, row 1, field "observation_date": expected header/);
    expect(bad('observation_date,DGS10\n2020-01-01,1')).toThrow(/r\.csv, row 1, field "DGS10": expected series DTB3/);
    expect(bad('observation_date,DTB3\n2020-01-01,1\n2020-01-02,1.2x')).toThrow(/r\.csv, row 3, field "DTB3": "1\.2x" is not a number/);
    expect(bad('observation_date,DTB3\n2020-01-02,1\n2020-01-02,1')).toThrow(/row 3, field "observation_date": 2020-01-02 is not after/);
    expect(bad('observation_date,DTB3\n2020-02-30,1')).toThrow(/row 2, field "observation_date": "2020-02-30" is not an ISO date/);
    expect(bad('observation_date,DTB3\n2020-01-02,1,2')).toThrow(/row 2: expected 2 fields, got 3/);
    expect(bad('observation_date,DTB3\n2020-01-02,1')).not.toThrow();
    expect(bad('observation_date,DTB3\n')).toThrow(InvalidMarketDataError);
  });

  it('lags the rate: day t uses the last value dated strictly before t, over blanks', () => {
    const s = parseFredCsv('observation_date,DTB3\n2024-07-02,5.00\n2024-07-03,5.04\n2024-07-04,\n2024-07-05,5.20\n', 'x.csv');
    const r = laggedDailyCashRate(s, ['2024-07-01', '2024-07-02', '2024-07-03', '2024-07-05', '2024-07-08']);
    expect(Number.isNaN(r.daily[0]) && Number.isNaN(r.daily[1])).toBe(true);
    expect(r.unknownDays).toBe(2);
    const bey = (d: number) => (365 * d) / (360 - (d / 100) * 91) / 100 / 252;
    expect(r.daily[2]).toBeCloseTo(bey(5.0), 15);
    expect(r.daily[3]).toBeCloseTo(bey(5.04), 15); // July 4 blank: carry July 3
    expect(r.daily[4]).toBeCloseTo(bey(5.2), 15); // never the same day's print
    expect(r.maxStaleDays).toBe(3);
    expect(r.source).toMatch(/^DTB3 \(x\.csv\).*bond-equivalent yield \(91-day bill\)/);
    expect(constantDailyCashRate(3, 0.02).daily[2]).toBeCloseTo(0.02 / 252, 15);
  });
});

describe('discount basis -> bond-equivalent yield', () => {
  it('a DTB3 of 5% earns 5.134% a year, not 5%: the daily cash rate is the bill\'s investment yield', () => {
    // Treasury's formula for bills up to half a year: 365·d / (360 − d·t).
    expect(bondEquivalentYield(5, 91)).toBeCloseTo(5.1343, 4);
    expect(bondEquivalentYield(5, 91) - 5).toBeGreaterThan(0.13);
    expect(bondEquivalentYield(0, 91)).toBe(0);
    // A 52-week bill: the yield y that grows its price P to face with a half-year coupon period,
    // P·(1 + y/2)·(1 + (t/365 − 1/2)·y) = 1.
    const y = bondEquivalentYield(5.01, 364) / 100;
    const P = 1 - (0.0501 * 364) / 360;
    expect(P * (1 + y / 2) * (1 + (364 / 365 - 0.5) * y)).toBeCloseTo(1, 12);
    const s = parseFredCsv('observation_date,DTB3\n2024-07-01,5.00\n', 'DTB3.csv', 'DTB3');
    const r = laggedDailyCashRate(s, ['2024-07-01', '2024-07-02']);
    expect(r.daily[1] * 252 * 100).toBeCloseTo(5.1343, 4);
    // A series that is not on a discount basis is used as it is.
    const other = parseFredCsv('observation_date,MYRATE\n2024-07-01,5.00\n', 'r.csv');
    expect(laggedDailyCashRate(other, ['2024-07-01', '2024-07-02']).daily[1] * 252 * 100).toBeCloseTo(5, 12);
  });
});

const RATES = realDataDir('rates');
describe.skipIf(!RATES)('real DTB3', () => {
  it('parses the whole file and gives a plausible lagged cash rate on weekdays', () => {
    const file = join(RATES!, 'DTB3.csv');
    const s = parseFredCsv(readFileSync(file, 'utf8'), file, 'DTB3');
    expect(s.dates.length).toBe(18_919);
    expect(Array.from(s.values).filter(Number.isFinite).length).toBe(18_120);
    expect(Math.min(...Array.from(s.values).filter(Number.isFinite))).toBe(-0.05);
    expect(Math.max(...Array.from(s.values).filter(Number.isFinite))).toBe(17.14);
    const cal = s.dates.filter((d) => d >= '2003-01-01' && d <= '2025-12-31');
    const r = laggedDailyCashRate(s, cal);
    expect(r.unknownDays).toBe(0);
    // A holiday weekend plus blank days can age the rate by a few days, never weeks.
    expect(r.maxStaleDays).toBeLessThanOrEqual(5);
    const annual = (Array.from(r.daily).reduce((a, b) => a + b, 0) / cal.length) * 252;
    expect(annual).toBeGreaterThan(0.01);
    expect(annual).toBeLessThan(0.025);
    // 2008-12-31 was near zero, 2007-01-03 near 5%.
    expect(r.daily[cal.indexOf('2007-01-03')] * 252 * 100).toBeGreaterThan(4.8);
    expect(Math.abs(r.daily[cal.indexOf('2009-01-02')] * 252 * 100)).toBeLessThan(0.2);
  });
});
