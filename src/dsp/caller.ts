/**
 * Who is calling: the HTTP edge verifies the connector-to-connector token and the caller's
 * membership credentials (design.md "Trust model") and hands the domain this value. The
 * domain trusts it as verified and never sees the token.
 */
export interface VerifiedCaller {
  /** The caller's DID (token `iss` = `sub`), the participant id DSP messages refer to. */
  did: string;
  /** Claims from the caller's verified credentials (membership, jurisdiction, roles…). */
  claims: Readonly<Record<string, unknown>>;
}
