/** The promotion gate (the verdict on the evidence) and the audits of its size and power. */
export * from './audits';
export * from './promotionGate';
