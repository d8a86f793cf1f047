export { weeklyRetrain, progressQuery } from './weeklyRetrain';
export { retrainBackfill } from './retrainBackfill';
export { retrainStudy } from './retrainStudy';
