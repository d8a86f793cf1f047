/**
 * Domain errors. Domain code throws these; the activity layer (activities/failures.ts)
 * turns the permanent ones into non-retryable Temporal ApplicationFailures with the same
 * `type`, so a corrupt CSV fails fast instead of being retried for hours.
 */

/** Error type names shared by activities, workflows and tests. */
export const ErrorTypes = {
  InvalidMarketData: 'InvalidMarketDataError',
  InvalidConfig: 'InvalidConfigError',
  InsufficientData: 'InsufficientDataError',
  ModelArtifact: 'ModelArtifactError',
  NotFound: 'NotFoundError',
} as const;

export type ErrorType = (typeof ErrorTypes)[keyof typeof ErrorTypes];

export abstract class DomainError extends Error {
  abstract readonly type: ErrorType;
  /** Permanent errors will not succeed on retry. */
  readonly permanent: boolean = true;
}

export interface DataLocation {
  file: string;
  /** 1-based line number in the file (header is line 1); undefined for whole-file problems. */
  row?: number;
  field?: string;
}

export class InvalidMarketDataError extends DomainError {
  readonly type = ErrorTypes.InvalidMarketData;
  constructor(
    readonly location: DataLocation,
    readonly problem: string,
  ) {
    const where = [location.file, location.row !== undefined ? `row ${location.row}` : '', location.field ? `field "${location.field}"` : '']
      .filter(Boolean)
      .join(', ');
    super(`${where}: ${problem}`);
    this.name = 'InvalidMarketDataError';
  }
}

export class InvalidConfigError extends DomainError {
  readonly type = ErrorTypes.InvalidConfig;
  constructor(message: string) {
    super(message);
    this.name = 'InvalidConfigError';
  }
}

export class InsufficientDataError extends DomainError {
  readonly type = ErrorTypes.InsufficientData;
  constructor(message: string) {
    super(message);
    this.name = 'InsufficientDataError';
  }
}

export class ModelArtifactError extends DomainError {
  readonly type = ErrorTypes.ModelArtifact;
  constructor(message: string) {
    super(message);
    this.name = 'ModelArtifactError';
  }
}

export class NotFoundError extends DomainError {
  readonly type = ErrorTypes.NotFound;
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}
