import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes so runs can be filtered in the Temporal UI. */
export const AS_OF = defineSearchAttributeKey('RetrainAsOf', SearchAttributeType.KEYWORD);
export const TASKS = defineSearchAttributeKey('RetrainTasks', SearchAttributeType.KEYWORD_LIST);
export const STATUS = defineSearchAttributeKey('RetrainStatus', SearchAttributeType.KEYWORD);
export const TRIGGER = defineSearchAttributeKey('RetrainTrigger', SearchAttributeType.KEYWORD);
export const CHAMPION_CHANGED = defineSearchAttributeKey('ChampionChanged', SearchAttributeType.BOOL);
/** Set by the Temporal scheduler on every scheduled or backfilled action. */
export const SCHEDULED_START_TIME = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

export const CUSTOM_SEARCH_ATTRIBUTES = [AS_OF, TASKS, STATUS, TRIGGER, CHAMPION_CHANGED];
