/**
 * Options every starter of weeklyRetrain uses (CLI, dev, schedule, tests).
 *
 * workflowTaskTimeout: activities here are CPU-bound (training, decoding large model
 * artifacts, and with the embedded PGlite database even queries) and share the Node event
 * loop with the worker's workflow-task plumbing. A blocking stretch of several seconds can
 * outlast the 10 s default and force a workflow-task retry (TMPRL1104). 60 s gives headroom;
 * for production, run activity-only workers in their own processes (`worker --activities-only`)
 * beside a workflow worker, and workflow tasks never wait on training at all.
 */
export const RETRAIN_WORKFLOW_TYPE = 'weeklyRetrain';
export const RETRAIN_START_OPTIONS = { workflowTaskTimeout: '60s' } as const;
