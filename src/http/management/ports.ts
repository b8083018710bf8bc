/**
 * What the management routers ask of the connector (conventions §2): small structural ports
 * the composition root satisfies with the DSP face's commands (src/connector/dsp-commands.ts),
 * so this adapter never reaches into repositories or protocol handlers itself.
 */
import type { DatasetRecord } from '../../dataplane/index.js';
import type { Catalog, OdrlAgreement } from '../../dsp/index.js';
import type { Result } from '../../errors/index.js';
import type { ContractNegotiation, TargetedOffer } from '../../negotiation/index.js';
import type { Offering, OfferingListQuery, OfferingPage } from '../../offerings/index.js';
import type { TransferProcess } from '../../transfer/index.js';

/** Who asks, recorded on a change for its audit entry. */
export interface ChangeActor {
  actor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface ProcessListQuery {
  state?: string;
  limit?: number;
  cursor?: string;
}

export interface OfferingCommands {
  create(input: unknown, options?: ChangeActor): Promise<Result<Offering>>;
  update(id: string, input: unknown, options?: ChangeActor): Promise<Result<Offering>>;
  retire(id: string, options?: ChangeActor & { expectedVersion?: number }): Promise<Result<Offering>>;
  get(id: string): Promise<Offering | undefined>;
  list(query?: OfferingListQuery): Promise<Result<OfferingPage>>;
}

/** A partner by its DID, by its root URL, or both. */
export interface PartnerRef {
  did?: string;
  url?: string;
}

export interface RemoteCatalogs {
  fetchCatalog(target: PartnerRef, next?: string): Promise<Result<{ peer: { did: string; dspBase: string }; catalog: Catalog; next?: string }>>;
}

export interface NegotiationCommands {
  /** `purpose`: a purpose IRI or short name (`research/health`); unknown ones are refused (SOV_VALIDATION_FAILED). */
  start(input: { offer: TargetedOffer; provider: PartnerRef; purpose?: string }): Promise<Result<ContractNegotiation>>;
  terminate(id: string, termination?: { code?: string; reason?: unknown[] }): Promise<Result<ContractNegotiation>>;
  get(id: string): Promise<ContractNegotiation | undefined>;
  list(query?: ProcessListQuery): Promise<Result<Page<ContractNegotiation>>>;
}

/**
 * Which principal started a process, so a researcher sees only its own (issue 6: researchers
 * read their own processes). Admins see every process.
 */
export interface ProcessOwners {
  record(kind: 'negotiation' | 'transfer', id: string, owner: string): Promise<void>;
  ownerOf(kind: 'negotiation' | 'transfer', id: string): Promise<string | undefined>;
}

/** Agreements are the ones of FINALIZED negotiations, both signatures included (dsp.md §3). */
export interface AgreementRecords {
  /** This connector's DID: the signer of our own proof. */
  selfDid: string;
  findByAgreementId(agreementId: string): Promise<ContractNegotiation | undefined>;
  /** `signerDid` must have made `proof` over `agreement` (an AgreementSigner's verify). */
  verify(agreement: OdrlAgreement, proof: Readonly<Record<string, unknown>>, signerDid: string): Promise<{ verified: boolean; errors: string[] }>;
}

export interface TransferCommands {
  start(input: { agreementId: string; format: string }): Promise<Result<TransferProcess>>;
  suspend(id: string, why?: { code?: string; reason?: unknown[] }): Promise<Result<TransferProcess>>;
  resume(id: string): Promise<Result<TransferProcess>>;
  terminate(id: string, why?: { code?: string; reason?: unknown[] }): Promise<Result<TransferProcess>>;
  get(id: string): Promise<TransferProcess | undefined>;
  list(query?: ProcessListQuery): Promise<Result<Page<TransferProcess>>>;
}

/**
 * The consumer's data plane, by OUR transfer id (the id of the dataset record it delivers):
 * the pull of a STARTED transfer, the dataset it delivered, and its verified plaintext.
 */
export interface ReceivedData {
  /** Pulls a STARTED transfer we requested and completes it (the data plane's `receive`). */
  receive(transferId: string): Promise<Result<DatasetRecord>>;
  dataset(transferId: string): Promise<DatasetRecord | undefined>;
  /** The plaintext; unverified until the iteration ends without throwing. */
  open(datasetId: string): Promise<Result<AsyncIterable<Uint8Array>>>;
}
