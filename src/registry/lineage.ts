import { LIVE } from './names';

/**
 * Which registry lineage a run reads and moves. Only runs that move time forward touch the
 * live champion: a backfill replays the past in a lineage of its own (one per backfill), and
 * any other run dated before the live champion's as-of gets a lineage of its own too, so it
 * records the decision it would have made without moving today's model.
 */
export function resolveLineage(o: { explicit?: string; trigger: 'schedule' | 'manual' | 'backfill'; asOf: string; workflowId: string; scheduleId?: string; liveEffectiveFrom: (string | null)[] }): string {
  if (o.explicit) return o.explicit;
  if (o.trigger === 'backfill') return `backfill:${o.scheduleId ?? 'schedule'}`;
  const newest = o.liveEffectiveFrom.filter((d): d is string => !!d).sort().at(-1);
  if (newest && o.asOf < newest) return `asof:${o.workflowId}`;
  return LIVE;
}
