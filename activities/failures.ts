import { ApplicationFailure } from '@temporalio/activity';
import { DomainError, ErrorTypes } from '../src/errors';

/**
 * Permanent domain errors become non-retryable ApplicationFailures carrying the same type,
 * so the workflow fails fast with the file/row/field message. A RangeError from domain code
 * is a bad hyperparameter or shape: also permanent. Anything else (connection refused, a
 * timeout) is left retryable.
 */
export function toFailure(e: unknown): unknown {
  if (e instanceof ApplicationFailure) return e;
  if (e instanceof DomainError && e.permanent) {
    return ApplicationFailure.create({ message: e.message, type: e.type, nonRetryable: true, cause: e });
  }
  if (e instanceof RangeError) {
    return ApplicationFailure.create({ message: e.message, type: ErrorTypes.InvalidConfig, nonRetryable: true, cause: e });
  }
  return e;
}
