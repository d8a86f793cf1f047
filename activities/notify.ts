import { ApplicationFailure } from '@temporalio/activity';
import { notificationText } from '../src/notify/message';
import { postWebhook } from '../src/notify/webhook';
import type { NotifyEvent } from '../workflows/types';
import type { ActivityDeps } from './deps';

export function createNotifyActivities(deps: ActivityDeps) {
  return {
    /**
     * Sends one notification to NOTIFY_WEBHOOK_URL; a refused or unreachable webhook fails the
     * attempt and Temporal retries it. Logs the event, never the URL.
     */
    async notify(e: NotifyEvent): Promise<{ sent: boolean }> {
      const url = deps.notifyWebhookUrl;
      const about = { kind: e.kind, runId: e.runId, ...('task' in e ? { task: e.task } : {}) };
      if (!url) {
        deps.logger.warn(about, 'notification not sent: NOTIFY_WEBHOOK_URL is not set on this worker');
        return { sent: false };
      }
      try {
        const status = await postWebhook(url, notificationText(e));
        deps.logger.info({ ...about, status }, 'notification sent');
        return { sent: true };
      } catch (err) {
        deps.logger.warn({ ...about, err: (err as Error).message }, 'notification failed; Temporal retries it');
        throw ApplicationFailure.create({ message: (err as Error).message, type: 'NotifyError', nonRetryable: false });
      }
    },
  };
}
