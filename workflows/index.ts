export { weeklyRetrain, progressQuery } from './weeklyRetrain';
