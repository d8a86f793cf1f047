import type { ChampionAfter, ChampionAge } from '../store/championRecord';

export type { ChampionAfter, ChampionAge };

/**
 * How old and how unproven a champion is. A champion is served only while it is fresh: one
 * trained through a date more than `gate.maxChampionAgeDays` before the day it answers for is
 * marked `stale` (predict's model_metadata, the run report, the trend). A champion whose
 * configuration no longer proves skill is kept ("keep") at most `gate.retireAfterUnprovenWeeks`
 * weeks, then retired to the declared reference.
 */
export const DEFAULT_MAX_CHAMPION_AGE_DAYS = 90;
export const DEFAULT_RETIRE_AFTER_UNPROVEN_WEEKS = 13;

const DAY_MS = 86_400_000;

/** Calendar days from `from` to `to` (ISO dates). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}


export function championAge(o: { trainedThrough: string | null; effectiveFrom: string | null; at: string; maxAgeDays: number }): ChampionAge {
  const since = o.trainedThrough ?? o.effectiveFrom;
  const ageDays = since ? daysBetween(since, o.at) : null;
  return { since, ageDays, maxAgeDays: o.maxAgeDays, stale: ageDays !== null && ageDays > o.maxAgeDays };
}

/** Whole weeks from the first run at which the champion went unproven to this run's as-of. */
export function weeksUnproven(since: string, asOf: string): number {
  return Math.max(0, Math.floor(daysBetween(since, asOf) / 7));
}

/**
 * Since when a kept champion has gone unproven: the previous decision's date when it already
 * kept the same champion unproven, else this run's as-of (the first unproven run).
 */
export function unprovenSince(o: { asOf: string; championId: string; previous: { championAfter?: { modelId: string | null; unprovenSince?: string | null } | null } | null }): string {
  const p = o.previous?.championAfter;
  return p && p.modelId === o.championId && p.unprovenSince ? p.unprovenSince : o.asOf;
}
