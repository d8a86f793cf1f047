/**
 * Standard normal distribution: CDF and quantile, accurate to ~1e-15 (PSR/DSR and the
 * bootstrap p-values live in the tails, where the usual 1e-7 erf approximations are too coarse).
 */

const INV_SQRT_2PI = 0.3989422804014327;

export function normalPdf(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

/**
 * Φ(x). |x| < 6: Marsaglia's Taylor series Φ(x) = 1/2 + φ(x)(x + x³/3 + x⁵/15 + …)
 * (J. Stat. Software 11(4), 2004). Beyond: the Laplace continued fraction for the tail, which
 * keeps relative accuracy where 1 − Φ underflows the series' absolute accuracy.
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return 1;
  if (x === -Infinity) return 0;
  if (Math.abs(x) < 6) {
    let term = x;
    let sum = x;
    const x2 = x * x;
    for (let i = 3; i < 400; i += 2) {
      term *= x2 / i;
      const next = sum + term;
      if (next === sum) break;
      sum = next;
    }
    return 0.5 + sum * normalPdf(x);
  }
  const z = Math.abs(x);
  // Q(z) = φ(z) / (z + 1/(z + 2/(z + 3/(z + …)))), evaluated from the back.
  let frac = z;
  for (let k = 60; k >= 1; k--) frac = z + k / frac;
  const tail = normalPdf(z) / frac;
  return x > 0 ? 1 - tail : tail;
}

/** Φ⁻¹(p): Wichura's AS 241 (PPND16), relative accuracy ~1e-16. */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`normalQuantile: p must be in [0, 1], got ${p}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((2509.0809287301227 * r + 33430.57558358813) * r + 67265.7709270087) * r + 45921.95393154987) * r + 13731.69376550946) * r + 1971.5909503065513) * r + 133.14166789178438) * r +
          3.3871328727963665)) /
      (((((((5226.495278852546 * r + 28729.085735721943) * r + 39307.89580009271) * r + 21213.794301586597) * r + 5394.196021424751) * r + 687.1870074920579) * r + 42.31333070160091) * r + 1)
    );
  }
  let r = q < 0 ? p : 1 - p;
  r = Math.sqrt(-Math.log(r));
  let val: number;
  if (r <= 5) {
    r -= 1.6;
    val =
      (((((((0.0007745450142783414 * r + 0.022723844989269184) * r + 0.2417807251774506) * r + 1.2704582524523684) * r + 3.6478483247632045) * r + 5.769497221460691) * r + 4.630337846156546) * r +
        1.4234371107496835) /
      (((((((1.0507500716444169e-9 * r + 0.0005475938084995345) * r + 0.015198666563616457) * r + 0.14810397642748008) * r + 0.6897673349851) * r + 1.6763848301838038) * r + 2.053191626637759) * r + 1);
  } else {
    r -= 5;
    val =
      (((((((2.0103343992922881e-7 * r + 0.000027115555687434876) * r + 0.0012426609473880784) * r + 0.026532189526576124) * r + 0.29656057182850487) * r + 1.7848265399172913) * r + 5.463784911164114) * r +
        6.657904643501103) /
      (((((((2.0442631033899397e-15 * r + 1.421511758316446e-7) * r + 0.000018463183175100548) * r + 0.0007868691311456133) * r + 0.014875361290850615) * r + 0.1369298809227358) * r + 0.599832206555888) * r + 1);
  }
  return q < 0 ? -val : val;
}
