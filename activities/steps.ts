import { Context } from '@temporalio/activity';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { stepFinished, stepStarted } from '../src/store/runStore';
import type { ActivityDeps } from './deps';
import { describeError, toFailure } from './failures';

/**
 * Runs one pipeline step: records it in run_steps (keyed by run and step, so a retry updates
 * the same row), converts permanent errors to non-retryable failures, and stores a summary.
 */
export async function runStep<T>(deps: ActivityDeps, runId: string, step: string, fn: () => Promise<T>, summarize: (r: T) => unknown = (r) => r): Promise<T> {
  const attempt = Context.current().info.attempt;
  await stepStarted(deps.db, runId, step, attempt);
  try {
    const result = await fn();
    await stepFinished(deps.db, runId, step, { status: 'completed', summary: summarize(result) });
    return result;
  } catch (e) {
    await stepFinished(deps.db, runId, step, { status: 'failed', error: describeError(e) }).catch(() => {});
    deps.logger.warn({ runId, step, attempt, err: describeError(e) }, 'step failed');
    throw toFailure(e);
  }
}

/**
 * Progress callback for long loops: heartbeats (Temporal throttles the sends), yields to the
 * event loop so cancellation can be delivered, and aborts when the activity is cancelled.
 * `details` rides along on every heartbeat: a retry reads the last one (e.g. the checkpoint).
 */
export function heartbeatProgress(label: string, details: Record<string, unknown> = {}): { onProgress: (p: unknown) => Promise<void>; signal: AbortSignal } {
  const ctx = Context.current();
  return {
    signal: ctx.cancellationSignal,
    onProgress: async (p: unknown) => {
      ctx.heartbeat({ ...details, label, progress: p });
      await yieldToEventLoop();
      if (ctx.cancellationSignal.aborted) throw ctx.cancellationSignal.reason ?? new Error(`${label}: cancelled`);
    },
  };
}
