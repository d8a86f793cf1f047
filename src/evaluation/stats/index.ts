/** Statistics: the stationary bootstrap, paired comparisons, SPA, PSR/DSR, PBO, proportions. */
export * from './blockLength';
export * from './bootstrap';
export * from './dailyMeans';
export * from './dayConfusionStatistic';
export * from './descriptive';
export * from './normal';
export * from './pairedComparison';
export * from './pbo';
export * from './proportion';
export * from './resampledStatistics';
export * from './sharpe';
export * from './spa';
export * from './stationaryBootstrap';
