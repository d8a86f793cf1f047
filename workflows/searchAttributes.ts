import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { TaskName } from '../src/pipeline/tasks';

/** Custom search attributes so runs can be filtered in the Temporal UI. */
export const AS_OF = defineSearchAttributeKey('RetrainAsOf', SearchAttributeType.KEYWORD);
export const TASKS = defineSearchAttributeKey('RetrainTasks', SearchAttributeType.KEYWORD_LIST);
export const STATUS = defineSearchAttributeKey('RetrainStatus', SearchAttributeType.KEYWORD);
export const TRIGGER = defineSearchAttributeKey('RetrainTrigger', SearchAttributeType.KEYWORD);
export const CHAMPION_CHANGED = defineSearchAttributeKey('ChampionChanged', SearchAttributeType.BOOL);
/** The registry lineage the run reads and moves (`live`, `backfill:…`, `asof:…`, `drift:…`). */
export const LINEAGE = defineSearchAttributeKey('RetrainLineage', SearchAttributeType.KEYWORD);
/** The code version (worker build id) that started the run. */
export const BUILD_ID = defineSearchAttributeKey('RetrainBuildId', SearchAttributeType.KEYWORD);
/** Model kinds this run deployed as champion (promote or refresh). */
export const PROMOTED_KINDS = defineSearchAttributeKey('PromotedKinds', SearchAttributeType.KEYWORD_LIST);
/** The champion's walk-forward primary metric after the run's decision, per task (e.g. `ChampionMetricSignal > 0.4`). */
export const CHAMPION_METRIC = {
  strategy: defineSearchAttributeKey('ChampionMetricStrategy', SearchAttributeType.DOUBLE),
  signal: defineSearchAttributeKey('ChampionMetricSignal', SearchAttributeType.DOUBLE),
} satisfies Record<TaskName, unknown>;
/** Set by the Temporal scheduler on every scheduled or backfilled action. */
export const SCHEDULED_START_TIME = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

export const CUSTOM_SEARCH_ATTRIBUTES = [AS_OF, TASKS, STATUS, TRIGGER, CHAMPION_CHANGED, LINEAGE, BUILD_ID, PROMOTED_KINDS, CHAMPION_METRIC.strategy, CHAMPION_METRIC.signal];
