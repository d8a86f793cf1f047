/** The lineage `predict` serves and scheduled runs move (the registry's names build on it). */
export const LIVE = 'live';
