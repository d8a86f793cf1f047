/** The baselines: class prior, majority and label persistence, and how they are scored on each fold (diagnostics; the gate compares with declared references). */
export * from './baselineFolds';
export * from './baselines';
