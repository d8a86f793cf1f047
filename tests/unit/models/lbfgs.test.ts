import { describe, expect, it } from 'vitest';
import { LogisticRegression } from '../../../src/models/logisticRegression';
import { minimizeLbfgs } from '../../../src/models/optim/lbfgs';
import { nonlinearProblem } from '../../helpers/problems';

describe('L-BFGS', () => {
  it('finds the minimum of an ill-conditioned quadratic and of the Rosenbrock function', async () => {
    // f = sum_i c_i (x_i - i)^2 with condition number 1e4: the optimum is x_i = i.
    const n = 20;
    const c = Float64Array.from({ length: n }, (_, i) => 10 ** ((4 * i) / (n - 1)));
    const x = new Float64Array(n);
    const r = await minimizeLbfgs(x, (x, g) => {
      let f = 0;
      for (let i = 0; i < n; i++) {
        f += c[i] * (x[i] - i) ** 2;
        g[i] = 2 * c[i] * (x[i] - i);
      }
      return f;
    }, { maxIter: 2000, tol: 0, gradTol: 1e-6 });
    for (let i = 0; i < n; i++) expect(x[i]).toBeCloseTo(i, 6);
    expect(r.iterations).toBeLessThan(600); // scipy's L-BFGS-B (maxcor 10): 496 iterations to the same gradient norm

    const z = Float64Array.from([-1.2, 1]);
    await minimizeLbfgs(z, (z, g) => {
      g[0] = -2 * (1 - z[0]) - 400 * z[0] * (z[1] - z[0] ** 2);
      g[1] = 200 * (z[1] - z[0] ** 2);
      return (1 - z[0]) ** 2 + 100 * (z[1] - z[0] ** 2) ** 2;
    }, { maxIter: 500, tol: 0, gradTol: 1e-10 });
    expect(z[0]).toBeCloseTo(1, 5);
    expect(z[1]).toBeCloseTo(1, 5);
  });

  it('fits the logistic loss at least as low as Adam did, in far fewer passes, and stops when told to', async () => {
    const { X, y } = nonlinearProblem(1500, 4, 0.2);
    const w = Float64Array.from({ length: X.rows }, (_, i) => [0.8, 1, 1.3, 2, 1.5][i % 5]);
    const fit = async (solver: 'lbfgs' | 'adam') => {
      const m = new LogisticRegression({ l2: 1e-3, maxIter: 2000, learningRate: 0.1, tol: 1e-10, solver });
      return m.fit(X, y, w, { nClasses: 3 });
    };
    const lbfgs = await fit('lbfgs');
    const adam = await fit('adam');
    expect(lbfgs.trainLoss!).toBeLessThanOrEqual(adam.trainLoss! + 1e-9);
    expect(lbfgs.iterations).toBeLessThan(adam.iterations / 3);

    const aborted = new AbortController();
    aborted.abort();
    await expect(new LogisticRegression({ l2: 1e-3, maxIter: 2000, learningRate: 0.1, tol: 1e-12 }).fit(X, y, w, { nClasses: 3, signal: aborted.signal })).rejects.toThrow();
    expect(() => new LogisticRegression({ l2: 1e-3, maxIter: 10, learningRate: 0.1, tol: 1e-7, solver: 'newton' as 'adam' })).toThrow(/solver must be lbfgs or adam/);
  });
});
