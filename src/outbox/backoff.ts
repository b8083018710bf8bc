/**
 * Retry timing: exponential back-off with "equal jitter" (half the step fixed, half random), so
 * a crowd of failed deliveries to one peer spreads out instead of retrying in lock-step, while
 * each wait stays at least half the nominal step. Randomness is injected (conventions §8).
 */
export interface RetryPolicy {
  /** Attempts before giving up, the first one included. */
  maxAttempts: number;
  /** Nominal wait after the first failed attempt (ms); doubles per attempt. */
  baseDelayMs: number;
  /** Ceiling of the nominal wait (ms). */
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 8, baseDelayMs: 1_000, maxDelayMs: 5 * 60_000 };

/** The wait after failed attempt number `attempts` (1-based); `random` returns [0, 1). */
export function retryDelay(policy: RetryPolicy, attempts: number, random: () => number): number {
  const nominal = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  return Math.floor(nominal / 2 + random() * (nominal / 2));
}
