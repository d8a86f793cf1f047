import { createDatasetActivities } from './datasets';
import type { ActivityDeps } from './deps';
import { createEvaluationActivities } from './evaluation';
import { createGateActivities } from './gate';
import { createIngestActivities } from './ingest';
import { createMonitorActivities } from './monitor';
import { createNotifyActivities } from './notify';
import { createRefitActivities } from './refit';
import { createReportActivities } from './report';
import { createRunActivities } from './runs';
import { createStudyActivities } from './study';

export type { ActivityDeps } from './deps';

/** All activities, bound to their dependencies. Workflows type their proxies from this. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createRunActivities(deps),
    ...createIngestActivities(deps),
    ...createDatasetActivities(deps),
    ...createEvaluationActivities(deps),
    ...createRefitActivities(deps),
    ...createMonitorActivities(deps),
    ...createGateActivities(deps),
    ...createReportActivities(deps),
    ...createNotifyActivities(deps),
    ...createStudyActivities(deps),
  };
}
