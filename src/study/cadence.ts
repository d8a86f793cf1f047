import { dayNumber, type Dataset } from '../datasets/dataset';
import type { FoldSpec } from '../sampling/folds';
import type { Cadence } from './arms';

/** Monday-based week number of a YYYY-MM-DD date (1970-01-01 was a Thursday). */
const weekOf = (iso: string) => Math.floor((Math.round(Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / 86_400_000) + 3) / 7);

const periodOf: Record<Exclude<Cadence, 'once'>, (iso: string) => string> = {
  weekly: (d) => String(weekOf(d)),
  monthly: (d) => d.slice(0, 7),
  quarterly: (d) => `${d.slice(0, 4)}Q${Math.floor((+d.slice(5, 7) - 1) / 3)}`,
  yearly: (d) => d.slice(0, 4),
};

/**
 * The calendar days (indices into `ds.dates`) in [from, to] on which a cadence retrains: the
 * first trading day of each week; for a month, quarter or year the first of those weekly days in
 * it; `once`: `from` only. Every cadence's days are among the weekly ones, so a coarser cadence's models are weekly models (the fold
 * cache hands them over instead of refitting).
 */
export function retrainDays(ds: Dataset, from: number, to: number, cadence: Cadence): number[] {
  if (cadence === 'once') return [from];
  const firsts = (days: number[], key: (iso: string) => string) => days.filter((d, i) => i === 0 || key(ds.dates[d]) !== key(ds.dates[days[i - 1]]));
  const all = Array.from({ length: to - from + 1 }, (_, k) => from + k);
  const weekly = firsts(all, periodOf.weekly);
  // A coarser cadence retrains on the first weekly retrain day of its period (the first Saturday run of the month, …).
  return cadence === 'weekly' ? weekly : firsts(weekly, periodOf[cadence]);
}

/** First and last decision day of the study: the first trading day on or after `from`, the newest labelled day. */
export function studySpan(ds: Dataset, fromIso: string, gap: number, minTrainDays: number): { from: number; to: number } {
  const target = dayNumber(fromIso);
  const from = ds.dates.findIndex((d) => dayNumber(d) >= target);
  const to = ds.t[ds.rows - 1];
  if (from < 0 || from > to) throw new RangeError(`--from ${fromIso} is after the newest labelled day ${ds.dates[to]}`);
  const first = ds.t[0];
  if (from - gap - first < minTrainDays) {
    throw new RangeError(`--from ${fromIso} leaves ${Math.max(0, from - gap - first)} training days before it (need ${minTrainDays}, the protocol's minimum); the data start ${ds.dates[first]}`);
  }
  return { from, to };
}

/**
 * The deployments of a cadence as protocol folds: the model retrained on day r serves every
 * decision day until the next retrain, and was trained only on rows whose labels had ended
 * before r, purged and embargoed as in the protocol (training ends at r − gap − 1).
 */
export function cadenceFolds(ds: Dataset, span: { from: number; to: number }, cadence: Cadence, gap: number, trainWindowDays: number | null): FoldSpec[] {
  const days = retrainDays(ds, span.from, span.to, cadence);
  const first = ds.t[0];
  return days.map((r, k) => {
    const to = r - gap - 1;
    return { index: k, role: 'cv', train: { from: trainWindowDays ? Math.max(first, to - trainWindowDays + 1) : first, to }, test: { from: r, to: k + 1 < days.length ? days[k + 1] - 1 : span.to } };
  });
}
