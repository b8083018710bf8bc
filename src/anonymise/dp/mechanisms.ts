/**
 * Noise samplers. Laplace by inverse CDF (Dwork & Roth 2014, §3.3): with u uniform in (0, 1),
 * X = −b·sgn(u − ½)·ln(1 − 2|u − ½|); u never being 0 keeps the logarithm finite. Gaussian by
 * Box–Muller. (Known limit: floating-point Laplace leaks low-order bits, Mironov CCS 2012; the
 * snapping mechanism is not implemented.)
 */
import type { UniformSource } from './random.js';

export function laplace(scale: number, random: UniformSource): number {
  const u = random.next() - 0.5;
  return -scale * Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
}

export function gaussian(sigma: number, random: UniformSource): number {
  return sigma * Math.sqrt(-2 * Math.log(random.next())) * Math.cos(2 * Math.PI * random.next());
}

/** σ of the classical Gaussian mechanism (Dwork & Roth Thm A.1; valid for 0 < ε < 1). */
export function gaussianSigma(sensitivity: number, epsilon: number, delta: number): number {
  return (sensitivity * Math.sqrt(2 * Math.log(1.25 / delta))) / epsilon;
}
