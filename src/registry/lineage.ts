import { LIVE } from './names';

/**
 * Which registry lineage a run reads and moves. Only runs that move time forward touch the
 * live champion: a backfill replays the past in a lineage of its own (one per backfill), and
 * any other run dated before the newest as-of the live lineage has already recorded — a
 * champion's effective date or any decision, champion or not — gets a lineage of its own too,
 * so it records the decision it would have made without moving today's model. (With nothing
 * ever promoted there is no champion date to compare with: a run dated 2015 after one dated
 * 2026 must still stay out of `live`, or a model trained through 2015 could become today's.)
 */
export function resolveLineage(o: { explicit?: string; trigger: 'schedule' | 'manual' | 'backfill'; asOf: string; workflowId: string; scheduleId?: string; liveEffectiveFrom: (string | null)[]; liveDecidedAsOf?: (string | null)[] }): string {
  if (o.explicit) return o.explicit;
  if (o.trigger === 'backfill') return `backfill:${o.scheduleId ?? 'schedule'}`;
  const newest = [...o.liveEffectiveFrom, ...(o.liveDecidedAsOf ?? [])].filter((d): d is string => !!d).sort().at(-1);
  if (newest && o.asOf < newest) return `asof:${o.workflowId}`;
  return LIVE;
}
