/**
 * The credentials this connector holds about itself and presents on request (DCP §5, the
 * holder's credential service): chiefly the membership credential its registrar issued.
 * A port, so the composition root chooses where they live.
 */
export interface HeldCredentialStore {
  /** Every held credential, as received. */
  list(): Promise<Array<Record<string, unknown>>>;
  /** Adds a credential, replacing a held one with the same id (e.g. a renewed membership). */
  add(credential: Record<string, unknown>): Promise<void>;
}
