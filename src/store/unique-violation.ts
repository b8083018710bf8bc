/**
 * Recognises a unique or primary-key constraint violation from either driver, so a
 * repository can turn "already exists" into a SOV_*_CONFLICT value instead of a crash.
 * SQLite (libsql): `code` SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY; Postgres: SQLSTATE 23505.
 */
const uniqueCodes = new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY', '23505']);

export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  const code = (error as { code: unknown }).code;
  return typeof code === 'string' && uniqueCodes.has(code);
}
