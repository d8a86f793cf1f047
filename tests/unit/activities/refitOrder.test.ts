import { describe, expect, it } from 'vitest';
import { refitOrder } from '../../../activities/evaluation';

describe('refitOrder', () => {
  it("orders every refit and meta-learner member by its mean fold fit time, longest first, each once", () => {
    const seconds = new Map([['logistic', 0.4], ['trm', 6], ['random_forest', 3], ['mlp', 8]]);
    expect(refitOrder([{ candidate: 'meta', members: ['logistic', 'random_forest', 'trm', 'mlp'] }], seconds)).toEqual(['mlp', 'trm', 'random_forest', 'logistic']);
    // A refresh refits the champion's configuration too; a member named twice is scheduled once.
    expect(refitOrder([{ candidate: 'logistic', members: null }, { candidate: 'champion', members: null }], new Map([['champion', 2]]))).toEqual(['champion', 'logistic']);
    expect(refitOrder([{ candidate: 'meta', members: ['trm', 'logistic'] }, { candidate: 'trm', members: null }], seconds)).toEqual(['trm', 'logistic']);
  });
});
