/** The lineage `predict` serves and scheduled runs move. */
export const LIVE = 'live';
