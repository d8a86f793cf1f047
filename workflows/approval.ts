import { ApplicationFailure, condition, defineUpdate, setHandler } from '@temporalio/workflow';
import type { ApprovalInput, ApprovalRecord, ApprovalResult, TaskName } from './types';

/** Approve or reject a run's pending promotion(s): `models approve|reject RUN --reason …`. */
export const approvePromotionUpdate = defineUpdate<ApprovalResult, [ApprovalInput]>('approvePromotion');

const refuse = (message: string) => ApplicationFailure.create({ message, type: 'InvalidApproval', nonRetryable: true });

/**
 * The run's approval desk: verdicts that would move the live champion wait here for the
 * `approvePromotion` Update, one slot per task. The validator refuses an Update without an
 * approver or a reason, or with nothing to decide, before anything reaches the history.
 */
export class ApprovalDesk {
  /** task -> null while waiting, then the decision. */
  private readonly slots = new Map<TaskName, ApprovalRecord | null>();

  constructor() {
    setHandler(approvePromotionUpdate, (a) => this.decide(a), { validator: (a) => this.validate(a) });
  }

  private waiting(task?: TaskName): TaskName[] {
    return [...this.slots].filter(([t, r]) => r === null && (task === undefined || t === task)).map(([t]) => t);
  }

  private validate(a: ApprovalInput): void {
    if (!a || typeof a !== 'object') throw refuse('approvePromotion takes { decision, approver, reason, task? }');
    if (a.decision !== 'approve' && a.decision !== 'reject') throw refuse(`decision must be "approve" or "reject", got ${JSON.stringify(a.decision)}`);
    if (typeof a.approver !== 'string' || a.approver.trim() === '') throw refuse('an approver is required');
    if (typeof a.reason !== 'string' || a.reason.trim() === '') throw refuse('a reason is required');
    if (this.waiting(a.task).length === 0) throw refuse(a.task ? `no ${a.task} promotion awaits approval in this run` : 'no promotion awaits approval in this run');
  }

  private decide(a: ApprovalInput): ApprovalResult {
    const tasks = this.waiting(a.task);
    const outcome = a.decision === 'approve' ? 'approved' : 'rejected';
    for (const t of tasks) this.slots.set(t, { outcome, approver: a.approver.trim(), reason: a.reason.trim(), at: new Date().toISOString() });
    return { outcome, tasks };
  }

  /** Waits for a decision on the task's verdict; after the timeout the verdict is not applied. */
  async wait(task: TaskName, timeoutMs: number): Promise<ApprovalRecord> {
    this.slots.set(task, null);
    const decided = await condition(() => this.slots.get(task) !== null, timeoutMs);
    const record = decided ? this.slots.get(task)! : { outcome: 'timed_out' as const, approver: null, reason: `no approval within ${Math.round(timeoutMs / 1000)} s`, at: new Date().toISOString() };
    this.slots.delete(task);
    return record;
  }
}
