/** The backtest: allocations and their targets, overlapping tranches, the daily walk-forward backtest and the passive benchmarks. */
export * from './allocationTargets';
export * from './backtest';
export * from './benchmarks';
export * from './tranches';
