import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { describeError, toFailure } from '../../../activities/failures';
import { InsufficientDataError, InvalidConfigError, InvalidMarketDataError, ModelArtifactError } from '../../../src/errors';

describe('activity failures', () => {
  it('permanent domain errors are non-retryable, typed, with their message', () => {
    for (const e of [
      new InvalidMarketDataError({ file: 'VIX.csv', row: 301, field: 'close' }, 'close 600000 outside the plausible range'),
      new InvalidConfigError('gate.alpha: must be in (0, 1]'),
      new InsufficientDataError('not enough history'),
      new ModelArtifactError('artifact is not readable'),
    ]) {
      const f = toFailure(e) as ApplicationFailure;
      expect(f).toBeInstanceOf(ApplicationFailure);
      expect(f.nonRetryable).toBe(true);
      expect(f.type).toBe(e.type);
      expect(f.message).toBe(e.message);
    }
    expect((toFailure(new InvalidMarketDataError({ file: 'VIX.csv', row: 301, field: 'close' }, 'bad')) as ApplicationFailure).message).toMatch(/VIX\.csv, row 301, field "close"/);
  });

  it('a bug or an outage stays retryable: a RangeError is a defect, not a config error', () => {
    for (const e of [new RangeError('offset is out of bounds'), new Error('Connection terminated unexpectedly'), new TypeError('x is undefined')]) {
      const f = toFailure(e) as ApplicationFailure;
      expect(f.nonRetryable).toBe(false);
      expect(f.type).toBe(e.name);
    }
    const already = ApplicationFailure.nonRetryable('as is', 'Custom');
    expect(toFailure(already)).toBe(already);
  });

  it('database errors never carry their parameters (artifacts, checkpoints) into Temporal', () => {
    const e = Object.assign(new Error(`Failed query: insert into "models" ("id", "artifact") values ($1, $2)\nparams: m_1,${'ab'.repeat(100_000)}`), { cause: { message: 'Connection terminated unexpectedly' } });
    const msg = describeError(e);
    expect(msg).toBe('database error: Connection terminated unexpectedly (insert into "models" ("id", "artifact") values ...)');
    expect(describeError(new Error('x'.repeat(5000))).length).toBeLessThan(2100);
  });
});
