import { describe, expect, it } from 'vitest';
import { dateInZone, isIsoDate, saturdaysBetween } from '../../../src/util/dates';

describe('dates', () => {
  it('lists Saturdays inclusively', () => {
    expect(saturdaysBetween('2024-03-01', '2024-03-23')).toEqual(['2024-03-02', '2024-03-09', '2024-03-16', '2024-03-23']);
    expect(saturdaysBetween('2024-03-04', '2024-03-08')).toEqual([]);
  });
  it('maps Saturday 21:00 New York (Sunday UTC) back to the Saturday', () => {
    expect(dateInZone(new Date('2024-03-03T02:00:00Z'), 'America/New_York')).toBe('2024-03-02');
    expect(dateInZone(new Date('2024-07-07T01:00:00Z'), 'America/New_York')).toBe('2024-07-06');
  });
  it('validates ISO dates strictly', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2024-2-1')).toBe(false);
  });
});
