import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, inArray } from 'drizzle-orm';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { runs } from '../../src/db/schema';
import type { DevServer } from '../../src/temporal/devServer';
import type { TestDb } from '../helpers/postgres';
import { startTestStack, type TestStack } from '../helpers/stack';
import type { RetrainResult } from '../../workflows/types';
import { backfillSchedule, deleteSchedule, describeSchedule, ensureWeeklySchedule, pauseSchedule, triggerSchedule, unpauseSchedule, type ScheduleSettings } from '../../schedules/weeklySchedule';
import { tinyInput } from '../helpers/fastConfig';

describe('weekly schedule on the real Temporal server', () => {
  let server: DevServer;
  let db: TestDb;
  let stack: TestStack;
  const taskQueue = `schedule-${randomUUID()}`;
  const scheduleId = `weekly-retrain-test-${randomUUID().slice(0, 8)}`;
  const settings: ScheduleSettings = {
    scheduleId,
    taskQueue,
    timeZone: 'America/New_York',
    dayOfWeek: 'SATURDAY',
    hour: 21,
    minute: 0,
    catchupWindow: '1 day',
    input: tinyInput(),
  };

  beforeAll(async () => {
    stack = await startTestStack(taskQueue);
    ({ server, db } = stack);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /** Workflow ids the schedule has started so far (trigger and backfill included). */
  async function startedRuns(min: number): Promise<string[]> {
    for (let i = 0; i < 120; i++) {
      const d = await describeSchedule(server.env.client, scheduleId);
      const ids = (d?.info.recentActions ?? []).map((a) => a.action.workflow.workflowId);
      if (ids.length >= min) return ids;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`schedule ${scheduleId} started fewer than ${min} runs`);
  }

  it('creates Saturday 21:00 New York with SKIP overlap, and creating again updates instead of failing', async () => {
    const client = server.env.client;
    expect(await ensureWeeklySchedule(client, settings)).toBe('created');
    expect(await ensureWeeklySchedule(client, { ...settings, minute: 5 })).toBe('updated');
    expect(await ensureWeeklySchedule(client, settings)).toBe('updated');
    const d = (await describeSchedule(client, scheduleId))!;
    expect(d.spec.timezone).toBe('America/New_York');
    const cal = d.spec.calendars![0];
    expect(cal.dayOfWeek).toEqual([{ start: 'SATURDAY', end: 'SATURDAY', step: 1 }]);
    expect(cal.hour).toEqual([{ start: 21, end: 21, step: 1 }]);
    expect(cal.minute).toEqual([{ start: 0, end: 0, step: 1 }]);
    expect(d.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);
    expect(d.policies.catchupWindow).toBe(86_400_000);
    expect(d.action.type).toBe('startWorkflow');
    // The next action is a Saturday at 21:00 in New York.
    const next = d.info.nextActionTimes[0];
    const local = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', weekday: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(next);
    expect(local).toBe('Saturday 21:00');
  });

  it('pauses and unpauses', async () => {
    const client = server.env.client;
    await pauseSchedule(client, scheduleId, 'maintenance');
    expect((await describeSchedule(client, scheduleId))!.state.paused).toBe(true);
    expect((await describeSchedule(client, scheduleId))!.state.note).toBe('maintenance');
    await unpauseSchedule(client, scheduleId);
    expect((await describeSchedule(client, scheduleId))!.state.paused).toBe(false);
  });

  it('trigger runs the pipeline now; backfill runs one per Saturday, each as of its own date', async () => {
    const client = server.env.client;
    await triggerSchedule(client, scheduleId);
    const [triggered] = await startedRuns(1);
    const first = (await client.workflow.getHandle(triggered).result()) as RetrainResult;
    expect(first.status).toBe('completed');

    const b = await backfillSchedule(client, scheduleId, '2012-06-14', '2012-06-25');
    expect(b.saturdays).toEqual(['2012-06-16', '2012-06-23']);
    const backfill = (await client.workflow.getHandle(b.workflowId).result()) as { lineage: string; runs: { workflowId: string }[] };
    const results = (await Promise.all(backfill.runs.map((r) => client.workflow.getHandle(r.workflowId).result()))) as RetrainResult[];
    expect(results.map((r) => r.asOf)).toEqual(b.saturdays);
    expect(results.every((r) => r.status === 'completed' && r.lineage === `backfill:${b.workflowId}`)).toBe(true);
    const rows = await db.db.select().from(runs).where(inArray(runs.id, results.map((r) => r.runId)));
    expect(rows.map((r) => r.trigger)).toEqual(['backfill', 'backfill']);
    expect(rows.map((r) => r.asOf).sort()).toEqual(b.saturdays);
    const [trig] = await db.db.select().from(runs).where(eq(runs.id, first.runId));
    expect(trig.status).toBe('completed');
  });

  it('deletes', async () => {
    await deleteSchedule(server.env.client, scheduleId);
    expect(await describeSchedule(server.env.client, scheduleId)).toBeNull();
  });
});
