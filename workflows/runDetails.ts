import type { ApprovalRecord, TaskName, Verdict } from './types';

/** What the run's live details show per task; updated by the workflow as it goes. */
export interface TaskDetails {
  stage: string;
  fits: { done: number; total: number };
  refits: { done: number; total: number };
  drift: string[] | null;
  verdict: { action: Verdict['action']; reason: string; pValue: number | null } | null;
  /** Set while the verdict waits for a person; then the decision. */
  approval: { until: string } | ApprovalRecord | null;
}

export interface RunDetails {
  stage: string;
  asOf: string;
  lineage: string | null;
  buildId: string | null;
  workflowId: string;
  tasks: Partial<Record<TaskName, TaskDetails>>;
}

export const newTaskDetails = (): TaskDetails => ({ stage: 'waiting', fits: { done: 0, total: 0 }, refits: { done: 0, total: 0 }, drift: null, verdict: null, approval: null });

// Table cells must stay on one line and not break the table.
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
const short = (s: string, n = 140) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function verdictCell(t: TaskDetails): string {
  if (!t.verdict) return '–';
  const p = t.verdict.pValue === null ? '' : ` (p = ${t.verdict.pValue.toFixed(3)})`;
  return `**${t.verdict.action}**${p}: ${short(t.verdict.reason)}`;
}

function approvalCell(t: TaskDetails): string {
  const a = t.approval;
  if (!a) return '–';
  if ('until' in a) return `⏳ awaiting approval until ${a.until}`;
  return a.outcome === 'timed_out' ? 'timed out: not promoted' : `${a.outcome} by ${a.approver}: ${short(a.reason, 80)}`;
}

/**
 * The run's current details in Temporal markdown (shown by the UI beside the static summary):
 * the stage, models done, drift and the verdict per task, and how to answer a pending approval.
 */
export function renderRunDetails(d: RunDetails): string {
  const head = `**Stage:** ${d.stage} · as of ${d.asOf}${d.lineage ? ` · lineage \`${d.lineage}\`` : ''}${d.buildId ? ` · build \`${d.buildId}\`` : ''}`;
  const rows = Object.entries(d.tasks).map(([task, t]) => {
    const models = `${t.fits.done}/${t.fits.total} fits${t.refits.total ? `, ${t.refits.done}/${t.refits.total} refits` : ''}`;
    const drift = t.drift === null ? '–' : t.drift.length === 0 ? 'none' : `${t.drift.length}: ${short(t.drift.join(', '), 80)}`;
    return `| ${task} | ${cell(t.stage)} | ${models} | ${cell(drift)} | ${cell(verdictCell(t))} | ${cell(approvalCell(t))} |`;
  });
  const lines = [head, '', '| task | stage | models done | drift | verdict | approval |', '|---|---|---|---|---|---|', ...rows];
  if (Object.values(d.tasks).some((t) => t.approval && 'until' in t.approval)) {
    lines.push('', `Approve or reject: \`regime-retrain models approve ${d.workflowId} --reason "…"\` / \`models reject ${d.workflowId} --reason "…"\``);
  }
  return lines.join('\n');
}
