import { ApplicationFailure } from '@temporalio/activity';
import { DomainError } from '../src/errors';

const MAX_MESSAGE = 2000;

/**
 * A short, safe description of an error. Database driver errors embed the whole query and its
 * parameters (model artifacts, checkpoints: megabytes of bytes) in their message; keep the
 * cause ("Connection terminated unexpectedly") and the statement's first words instead.
 */
export function describeError(e: unknown): string {
  const err = e as { message?: string; cause?: { message?: string } };
  let msg = String(err?.message ?? e);
  if (msg.startsWith('Failed query:')) {
    const statement = msg.slice('Failed query:'.length).split('\nparams:')[0].trim().split(/\s+/).slice(0, 6).join(' ');
    msg = `database error: ${err.cause?.message ?? 'query failed'} (${statement} ...)`;
  }
  return msg.length > MAX_MESSAGE ? `${msg.slice(0, MAX_MESSAGE)}... (truncated)` : msg;
}

/**
 * Permanent domain errors (bad market data, an invalid config, too little history, an
 * unreadable artifact) become non-retryable ApplicationFailures carrying the same type, so
 * the workflow fails fast with the file/row/field message. Everything else stays retryable
 * with a bounded message (Temporal refuses oversized failures): a connection refused, a
 * timeout — and a bug (a RangeError from a wrong shape is a defect, not a config error; config
 * validation turns bad hyperparameters into InvalidConfigError where it checks them).
 */
export function toFailure(e: unknown): unknown {
  if (e instanceof ApplicationFailure) return e;
  if (e instanceof DomainError && e.permanent) {
    return ApplicationFailure.create({ message: describeError(e), type: e.type, nonRetryable: true });
  }
  if (e instanceof Error && (e.name === 'AbortError' || e.name === 'CancelledFailure')) return e;
  return ApplicationFailure.create({ message: describeError(e), type: (e as Error)?.name ?? 'Error', nonRetryable: false });
}
