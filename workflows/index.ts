export { weeklyRetrain, progressQuery } from './weeklyRetrain';
export { retrainBackfill } from './retrainBackfill';
