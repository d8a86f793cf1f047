/**
 * The champion's age and standing as a promotion decision stores it (`promotion_decisions.stats
 * .championAfter`), read back by the trend and the run report; computed in src/registry/championAge.ts.
 */
export interface ChampionAge {
  /** The last day of data the champion was trained on (else the date it became champion). */
  since: string | null;
  /** Calendar days from `since` to the day it answers for. */
  ageDays: number | null;
  maxAgeDays: number;
  stale: boolean;
}

/** What the decision left as champion, as the run report and the trend show it. */
export interface ChampionAfter extends ChampionAge {
  modelId: string | null;
  /** Set while the champion's configuration does not prove skill (kept, not refreshed). */
  unprovenSince: string | null;
  weeksUnproven: number | null;
}
