/** The protocol: folds run and cached, the fit procedure, pooled out-of-sample predictions, the decision series and evidence, the assessment and the offline runner. */
export * from './assess';
export * from './candidateSpecs';
export * from './candidates';
export * from './classPnl';
export * from './decisionEvidence';
export * from './decisionSeries';
export * from './diagnostics';
export * from './fitCandidate';
export * from './metaFolds';
export * from './plan';
export * from './pooling';
export * from './predictors';
export * from './runFold';
export * from './selectionProtocol';
export * from './signalEvaluation';
export * from './strategyEvaluation';
export * from './windowProblem';
