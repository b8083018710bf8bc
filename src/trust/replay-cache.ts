/**
 * Replay protection for caller tokens (identity.md §7.3): a (`iss`, `jti`) pair is accepted
 * once. Entries are kept until the token's expiry plus the allowed clock skew, persisted so
 * a restart does not reopen the window, and pruned so the cache stays bounded.
 */
export interface ReplayCache {
  /** Records the pair; resolves false when it was already recorded (a replay). */
  remember(issuer: string, jti: string, keepUntilMs: number): Promise<boolean>;
}
