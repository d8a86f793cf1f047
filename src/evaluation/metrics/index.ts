/** Classification metrics (overall and per regime) and the signal metrics (IC, long-short book). */
export * from './metrics';
export * from './perRegime';
export * from './signalMetrics';
