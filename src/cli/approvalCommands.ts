import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { Command } from 'commander';
import { approvePromotionUpdate } from '../../workflows/approval';
import type { ApprovalInput, TaskName } from '../../workflows/types';
import { getRun } from '../store/runStore';
import { cliContext, withClient, withDb } from './context';

/** A run id or a workflow id -> the workflow id (the run row knows both). */
async function workflowIdOf(id: string): Promise<string> {
  const ctx = cliContext();
  return withDb(ctx, async (db) => (await getRun(db.db, id))?.run.workflowId ?? id);
}

async function decide(run: string, o: { reason: string; task?: TaskName; approver?: string }, decision: ApprovalInput['decision']): Promise<void> {
  const ctx = cliContext();
  const workflowId = await workflowIdOf(run);
  const approver = o.approver ?? `cli:${process.env.USER ?? 'unknown'}`;
  await withClient(ctx, async (client) => {
    try {
      const r = await client.workflow.getHandle(workflowId).executeUpdate(approvePromotionUpdate, { args: [{ decision, approver, reason: o.reason, ...(o.task ? { task: o.task } : {}) }] });
      console.log(`${workflowId}: ${r.outcome} (${r.tasks.join(', ')}) by ${approver}`);
    } catch (e) {
      if (!(e instanceof WorkflowUpdateFailedError)) throw e;
      console.error(`${workflowId}: refused: ${(e.cause as Error | undefined)?.message ?? e.message}`);
      process.exitCode = 1;
    }
  });
}

/** `models approve|reject RUN --reason …`: answer a run waiting for approval (config `gate.approval: "required"`). */
export function registerApprovalCommands(models: Command, task: (v: string) => string): void {
  for (const decision of ['approve', 'reject'] as const) {
    models
      .command(`${decision} <run>`)
      .description(`${decision} the promotion a run waits for (run id or workflow id); audited with you as the actor`)
      .requiredOption('--reason <text>', 'why (required)')
      .option('--task <task>', 'only this task (default: every pending one)', task)
      .option('--approver <name>', 'who decides (default: cli:$USER)')
      .action(async (run, o) => decide(run, o, decision));
  }
}
