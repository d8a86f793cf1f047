import type { Db } from '../src/db/client';
import type { Logger } from '../src/logger';

/** What activities need from the outside world; the worker builds these once. */
export interface ActivityDeps {
  db: Db;
  logger: Logger;
  /** Where run reports are also written as files (they are always stored in Postgres). */
  reportsDir?: string;
  /** The code version of this worker (`workerBuildId()`), recorded on runs and models. */
  buildId?: string;
  /** Slack-compatible webhook for notifications (a secret: never logged, never in history). */
  notifyWebhookUrl?: string;
  /** Wall clock, injectable for tests. */
  clock?: () => Date;
}
