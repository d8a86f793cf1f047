import type { NotifyEvent } from '../../workflows/types';

const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3));

function duration(ms: number): string {
  const h = ms / 3_600_000;
  if (h >= 48) return `${+(h / 24).toFixed(1)} days`;
  if (h >= 1) return `${+h.toFixed(1)} h`;
  return `${Math.round(ms / 1000)} s`;
}

/**
 * The text of a Slack-compatible webhook message (`{ "text": ... }`, Slack mrkdwn) for one
 * event: what happened, to which run, and the command that shows more.
 */
export function notificationText(e: NotifyEvent): string {
  const run = `run \`${e.workflowId}\` (as of ${e.asOf}, lineage ${e.lineage})`;
  const more = `Details: \`regime-retrain runs show ${e.runId}\``;
  switch (e.kind) {
    case 'promotion': {
      const model = e.model ? `${e.model.kind} \`${e.model.modelId}\`` : 'the champion';
      const metric = e.metric ? `, ${e.metric.name} ${fmt(e.metric.value)}` : '';
      const by = e.approver ? `, approved by ${e.approver}` : '';
      return `:trophy: *${e.task}*: ${e.action === 'refresh' ? 'champion refreshed' : 'new champion'}: ${model}${metric}${by}. ${e.reason}\n${run}. ${more}`;
    }
    case 'failure':
      return `:x: *Retrain failed*${e.errorType ? ` (${e.errorType})` : ''}: ${e.error}\n${run}. ${more}`;
    case 'drift':
      return `:warning: *${e.task}*: ${e.flagged.length} feature(s) drifted: ${e.flagged.slice(0, 10).join(', ')}${e.flagged.length > 10 ? ', …' : ''}\n${run}. ${more}`;
    case 'approvalRequested':
      return (
        `:raising_hand: *${e.task}*: promotion awaits approval (${e.action}): ${e.reason}\n${run}. ` +
        `Approve or reject within ${duration(e.timeoutMs)} (else nothing is promoted): ` +
        `\`regime-retrain models approve ${e.workflowId} --task ${e.task} --reason "…"\` or \`models reject …\``
      );
  }
}
