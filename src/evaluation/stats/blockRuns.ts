/**
 * Calls `each(first, last)` for every run of consecutive indices in idx[0..len): a
 * stationary-bootstrap resample is a run of blocks of consecutive days, so statistics kept as
 * running sums score each block with one difference.
 */
export function forEachRun(idx: ArrayLike<number>, len: number, each: (first: number, last: number) => void): void {
  for (let j = 0; j < len; ) {
    const first = idx[j];
    let last = first;
    while (++j < len && idx[j] === last + 1) last++;
    each(first, last);
  }
}
