/** The lineage `predict` serves and scheduled runs move (defined a floor down, where the alias store needs it). */
export { LIVE } from '../store/lineages';
