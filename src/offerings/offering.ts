/**
 * An offering: a dataset this connector offers, with the metadata the DCAT catalogue shows,
 * the policy (a contract template from `contracts/` with its parameters, or inline ODRL) and
 * the complete ODRL document it resolved to, the classification the jurisdiction profile
 * checks, where the data comes from, and the anonymisation declaration its duties use.
 * Plain data: the repository stores it whole and every change bumps `version`.
 */
export type PolicySource =
  | { template: string; params: Record<string, unknown> }
  | { odrl: Record<string, unknown> };

export interface Offering {
  /** The dataset IRI: the DCAT Dataset `@id` and the DSP offer/agreement `target`. */
  id: string;
  /** The `@id` of the ODRL Offer shown in the catalogue; a new one whenever the policy changes. */
  offerId: string;
  title: string;
  description?: string;
  keywords: string[];
  /** DCAT distribution formats (the transfer `format`: `HttpData-PULL`, `HttpData-PUSH`). */
  formats: string[];
  policy: {
    source: PolicySource;
    /** The complete ODRL JSON-LD document (template instantiated). */
    document: Record<string, unknown>;
  };
  /** A label of this connector's classification scheme (its jurisdiction profile), e.g. `OFFICIAL`. */
  classification: string;
  /** Whether the data holds personal data (drives the profile's data-protection check). */
  personalData: boolean;
  /** Where the data plane reads the data from. */
  dataSource: { type: string; reference: string };
  /** The anonymisation declaration the `anonymize` duty runs with. */
  anonymisation?: { declarationRef: string };
  status: 'active' | 'retired';
  createdAt: string;
  updatedAt: string;
  retiredAt?: string;
  version: number;
}

export type OfferingChangeKind = 'created' | 'updated' | 'retired';

/** What a commit stores (and what the audit hook sees). */
export interface OfferingChange {
  kind: OfferingChangeKind;
  offering: Offering;
  /** null when creating; otherwise the version the change was based on. */
  expectedVersion: number | null;
  /** Who made the change, e.g. `admin:alice` (for the audit entry). */
  actor?: string;
}
