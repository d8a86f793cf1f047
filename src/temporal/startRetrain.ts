import type { Client, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { weeklyRetrain } from '../../workflows/weeklyRetrain';
import type { RetrainInput } from '../../workflows/types';
import { retrainMetadata } from './runMetadata';

/**
 * Options every starter of weeklyRetrain uses (CLI, dev, schedule, tests).
 *
 * workflowTaskTimeout: activities here are CPU-bound (training, decoding large model
 * artifacts, and with the embedded PGlite database even queries) and share the Node event
 * loop with the worker's workflow-task plumbing. A blocking stretch of several seconds can
 * outlast the 10 s default and force a workflow-task retry (TMPRL1104). 60 s gives headroom;
 * in production, activity-only workers run in their own processes and workflow tasks never
 * wait on training at all.
 */
export const RETRAIN_START_OPTIONS = { workflowTaskTimeout: '60s' } as const;

/** Starts a retrain by function reference, so its input and result types are checked; with its summary for the UI. */
export function startRetrain(client: Client, o: { taskQueue: string; workflowId: string; input: RetrainInput }): Promise<WorkflowHandleWithFirstExecutionRunId<typeof weeklyRetrain>> {
  return client.workflow.start(weeklyRetrain, { ...RETRAIN_START_OPTIONS, ...retrainMetadata(o.input), taskQueue: o.taskQueue, workflowId: o.workflowId, args: [o.input] });
}
