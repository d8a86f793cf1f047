import { createDatasetActivities } from './datasets';
import type { ActivityDeps } from './deps';
import { createEvaluateActivities } from './evaluate';
import { createIngestActivities } from './ingest';
import { createMonitorActivities } from './monitor';
import { createReportActivities } from './report';
import { createRunActivities } from './runs';
import { createTrainActivities } from './train';

export type { ActivityDeps } from './deps';

/** All activities, bound to their dependencies. Workflows type their proxies from this. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createRunActivities(deps),
    ...createIngestActivities(deps),
    ...createDatasetActivities(deps),
    ...createTrainActivities(deps),
    ...createEvaluateActivities(deps),
    ...createMonitorActivities(deps),
    ...createReportActivities(deps),
  };
}
