/**
 * The rare-event archive: historical crisis windows whose days are always kept in the
 * training sample (when they lie inside the training split) so that a model retrained in a
 * calm year still has seen what a crash looks like.
 */
export interface CrisisWindow {
  name: string;
  start: string;
  end: string;
}

export const CRISIS_WINDOWS: CrisisWindow[] = [
  { name: 'Asian financial crisis', start: '1997-10-01', end: '1997-12-31' },
  { name: 'Dot-com crash', start: '2000-03-10', end: '2002-10-09' },
  { name: 'September 11', start: '2001-09-11', end: '2001-10-31' },
  { name: 'Global financial crisis', start: '2008-09-01', end: '2009-06-30' },
  { name: 'Flash crash', start: '2010-05-06', end: '2010-07-02' },
  { name: 'Euro debt crisis', start: '2011-07-22', end: '2012-06-29' },
  { name: 'China devaluation', start: '2015-08-11', end: '2016-02-29' },
  { name: 'Brexit vote', start: '2016-06-23', end: '2016-07-15' },
  { name: 'COVID-19 crash', start: '2020-02-20', end: '2020-06-30' },
  { name: 'GameStop squeeze', start: '2021-01-22', end: '2021-02-12' },
  { name: 'Russia-Ukraine war', start: '2022-02-24', end: '2022-10-14' },
  { name: 'SVB collapse', start: '2023-03-08', end: '2023-05-05' },
];

export function crisisOf(date: string, windows: CrisisWindow[] = CRISIS_WINDOWS): CrisisWindow | undefined {
  return windows.find((w) => date >= w.start && date <= w.end);
}
