/**
 * Splits and dividends as a provider reports them. Stored prices are adjusted for every action
 * up to the day they were fetched; an action after the last stored bar makes the stored
 * history stale (pre-split prices next to post-split ones, adj_close missing a dividend), so
 * the series is re-fetched and re-adjusted as a whole.
 */
export interface Split {
  date: string;
  /** New shares per old share: 2 for a 2:1 split, 0.5 for a 1:2 reverse split. */
  ratio: number;
}

export interface Dividend {
  date: string;
  amount: number;
}

export interface CorporateActions {
  splits: Split[];
  dividends: Dividend[];
}

export function noActions(): CorporateActions {
  return { splits: [], dividends: [] };
}

/** Actions dated after `date` (exclusive) and up to `until` (inclusive). */
export function actionsBetween(a: CorporateActions, date: string, until: string): CorporateActions {
  const inside = (d: string) => d > date && d <= until;
  return { splits: a.splits.filter((s) => inside(s.date)), dividends: a.dividends.filter((d) => inside(d.date)) };
}

export function hasActions(a: CorporateActions): boolean {
  return a.splits.length > 0 || a.dividends.length > 0;
}
