import { ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type ScheduleDescription } from '@temporalio/client';
import { RETRAIN_START_OPTIONS } from '../src/temporal/startRetrain';
import { retrainMetadata } from '../src/temporal/runMetadata';
import { weeklyRetrain } from '../workflows/weeklyRetrain';
import { retrainBackfill } from '../workflows/retrainBackfill';
import { saturdaysBetween } from '../src/util/dates';
import type { AppConfig } from '../src/config';
import type { RetrainInput } from '../workflows/types';

export interface ScheduleSettings {
  scheduleId: string;
  taskQueue: string;
  timeZone: string;
  dayOfWeek: AppConfig['schedule']['dayOfWeek'];
  hour: number;
  minute: number;
  catchupWindow: string;
  /** Static workflow input; the as-of date is derived per run from the scheduled time. */
  input: RetrainInput;
}

function options(s: ScheduleSettings) {
  return {
    scheduleId: s.scheduleId,
    spec: { calendars: [{ dayOfWeek: s.dayOfWeek, hour: s.hour, minute: s.minute }], timezone: s.timeZone },
    action: {
      type: 'startWorkflow' as const,
      workflowType: weeklyRetrain,
      ...RETRAIN_START_OPTIONS,
      ...retrainMetadata(s.input, { scheduled: true }),
      // The scheduler appends the scheduled time to this id, so every run is unique.
      workflowId: `${s.scheduleId}`,
      taskQueue: s.taskQueue,
      args: [{ ...s.input, asOf: undefined, timeZone: s.timeZone }] as [RetrainInput],
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: s.catchupWindow },
  };
}

/** Ensured: create, and on "already exists" update to the same spec. */
export async function ensureWeeklySchedule(client: Client, s: ScheduleSettings): Promise<'created' | 'updated'> {
  const o = options(s);
  try {
    await client.schedule.create(o);
    return 'created';
  } catch (e) {
    if ((e as Error).name !== 'ScheduleAlreadyRunning') throw e;
    await client.schedule.getHandle(s.scheduleId).update((prev) => ({ ...prev, spec: o.spec, action: o.action, policies: { ...prev.policies, ...o.policies } }));
    return 'updated';
  }
}

export async function pauseSchedule(client: Client, id: string, note = 'paused from CLI'): Promise<void> {
  await client.schedule.getHandle(id).pause(note);
}

export async function unpauseSchedule(client: Client, id: string, note = 'unpaused from CLI'): Promise<void> {
  await client.schedule.getHandle(id).unpause(note);
}

/** Runs the schedule's action now; an explicit trigger is allowed to overlap a running run. */
export async function triggerSchedule(client: Client, id: string): Promise<void> {
  await client.schedule.getHandle(id).trigger(ScheduleOverlapPolicy.ALLOW_ALL);
}

export async function describeSchedule(client: Client, id: string): Promise<ScheduleDescription | null> {
  try {
    return await client.schedule.getHandle(id).describe();
  } catch (e) {
    if (e instanceof ScheduleNotFoundError) return null;
    throw e;
  }
}

export async function deleteSchedule(client: Client, id: string): Promise<void> {
  await client.schedule.getHandle(id).delete();
}

/**
 * One run per Saturday in [from, to], each as of its date, replayed in order by the
 * `retrainBackfill` workflow with the schedule's current input, in a registry lineage of its
 * own (so replaying the past never moves today's champion). Returns the backfill's workflow id.
 */
export async function backfillSchedule(client: Client, id: string, from: string, to: string): Promise<{ workflowId: string; saturdays: string[] }> {
  const saturdays = saturdaysBetween(from, to);
  const d = await describeSchedule(client, id);
  if (!d) throw new ScheduleNotFoundError(`schedule ${id} does not exist: create it first (its input is what the backfill replays)`, id);
  const action = d.action as { taskQueue: string; args?: unknown[] };
  const input = { ...((action.args?.[0] ?? {}) as RetrainInput), asOf: undefined };
  const workflowId = `backfill-${from}-${to}-${Math.random().toString(36).slice(2, 8)}`;
  if (saturdays.length > 0) await client.workflow.start(retrainBackfill, { taskQueue: action.taskQueue, workflowId, args: [{ from, to, input }] });
  return { workflowId, saturdays };
}
