/**
 * TypeScript shapes of DSP 2025-1 messages in compacted form (dsp.md §3). Inbound bodies get
 * these types only after `validateDspMessage` has checked them; extra properties a peer sends
 * are kept, never relied on.
 */
export type Role = 'consumer' | 'provider';

export type NegotiationState = 'REQUESTED' | 'OFFERED' | 'ACCEPTED' | 'AGREED' | 'VERIFIED' | 'FINALIZED' | 'TERMINATED';
export type TransferState = 'REQUESTED' | 'STARTED' | 'SUSPENDED' | 'COMPLETED' | 'TERMINATED';

export interface OdrlConstraint {
  leftOperand?: string;
  operator?: string;
  rightOperand?: unknown;
  and?: OdrlConstraint[];
  or?: OdrlConstraint[];
  xone?: OdrlConstraint[];
  andSequence?: OdrlConstraint[];
  [extra: string]: unknown;
}

export interface OdrlRule {
  action: string;
  constraint?: OdrlConstraint[];
  duty?: OdrlRule | OdrlRule[];
  remedy?: OdrlRule | OdrlRule[];
  consequence?: OdrlRule | OdrlRule[];
  [extra: string]: unknown;
}

/** The rule-bearing part every ODRL policy class shares. */
export interface OdrlRules {
  profile?: string | string[];
  permission?: OdrlRule[];
  prohibition?: OdrlRule[];
  obligation?: OdrlRule[];
}

/** An Offer as a catalogue shows it: no `target` (the enclosing Dataset is the target). */
export interface OdrlOffer extends OdrlRules {
  '@id': string;
  '@type': 'Offer';
  [extra: string]: unknown;
}

/** An Offer inside a negotiation message, naming its target dataset. */
export interface MessageOffer extends OdrlRules {
  '@id': string;
  '@type'?: 'Offer';
  target?: string;
  [extra: string]: unknown;
}

export interface OdrlAgreement extends OdrlRules {
  '@id': string;
  '@type': 'Agreement';
  target: string;
  assigner: string;
  assignee: string;
  timestamp?: string;
  [extra: string]: unknown;
}

interface DspBody {
  '@context': Array<string | Record<string, unknown>>;
  [extra: string]: unknown;
}

interface BothPids {
  providerPid: string;
  consumerPid: string;
}

interface CodeReason {
  code?: string;
  reason?: unknown[];
}

export interface ContractRequestMessage extends DspBody {
  '@type': 'ContractRequestMessage';
  consumerPid: string;
  providerPid?: string;
  offer: MessageOffer;
  callbackAddress?: string;
}

export interface ContractOfferMessage extends DspBody {
  '@type': 'ContractOfferMessage';
  providerPid: string;
  consumerPid?: string;
  offer: MessageOffer & { target: string };
  callbackAddress?: string;
}

export interface ContractAgreementMessage extends DspBody, BothPids {
  '@type': 'ContractAgreementMessage';
  agreement: OdrlAgreement;
}

export interface ContractAgreementVerificationMessage extends DspBody, BothPids {
  '@type': 'ContractAgreementVerificationMessage';
}

export interface ContractNegotiationEventMessage extends DspBody, BothPids {
  '@type': 'ContractNegotiationEventMessage';
  eventType: 'ACCEPTED' | 'FINALIZED';
}

export interface ContractNegotiationTerminationMessage extends DspBody, BothPids, CodeReason {
  '@type': 'ContractNegotiationTerminationMessage';
}

export interface ContractNegotiationAck extends DspBody, BothPids {
  '@type': 'ContractNegotiation';
  state: NegotiationState;
}

export interface ContractNegotiationError extends DspBody, BothPids, CodeReason {
  '@type': 'ContractNegotiationError';
}

export interface EndpointProperty {
  '@type': 'EndpointProperty';
  name: string;
  value: string;
}

export interface DataAddress {
  '@type': 'DataAddress';
  endpointType: string;
  endpoint: string;
  endpointProperties?: EndpointProperty[];
}

export interface TransferRequestMessage extends DspBody {
  '@type': 'TransferRequestMessage';
  consumerPid: string;
  agreementId: string;
  format: string;
  callbackAddress: string;
  dataAddress?: DataAddress;
}

export interface TransferStartMessage extends DspBody, BothPids {
  '@type': 'TransferStartMessage';
  dataAddress?: DataAddress;
}

export interface TransferSuspensionMessage extends DspBody, BothPids, CodeReason {
  '@type': 'TransferSuspensionMessage';
}

export interface TransferCompletionMessage extends DspBody, BothPids {
  '@type': 'TransferCompletionMessage';
}

export interface TransferTerminationMessage extends DspBody, BothPids, CodeReason {
  '@type': 'TransferTerminationMessage';
}

export interface TransferProcessAck extends DspBody, BothPids {
  '@type': 'TransferProcess';
  state: TransferState;
}

export interface TransferError extends DspBody, BothPids, CodeReason {
  '@type': 'TransferError';
}

export interface CatalogRequestMessage extends DspBody {
  '@type': 'CatalogRequestMessage';
  filter?: unknown[];
}

export interface DatasetRequestMessage extends DspBody {
  '@type': 'DatasetRequestMessage';
  dataset: string;
}

export interface DataService {
  '@id': string;
  '@type': 'DataService';
  endpointURL: string;
}

export interface Distribution {
  '@type'?: 'Distribution';
  format: string;
  accessService: string | DataService;
  hasPolicy?: OdrlOffer[];
}

export interface Dataset {
  '@id': string;
  '@type'?: 'Dataset';
  hasPolicy: OdrlOffer[];
  distribution: Distribution[];
  [extra: string]: unknown;
}

export interface Catalog {
  '@context'?: string[];
  '@id': string;
  '@type': 'Catalog';
  participantId?: string;
  dataset?: Dataset[];
  service?: DataService[];
  catalog?: Catalog[];
  [extra: string]: unknown;
}

export interface CatalogError extends DspBody, CodeReason {
  '@type': 'CatalogError';
}

export interface VersionAuth {
  protocol: string;
  version: string;
  profile?: string[];
}

export interface ProtocolVersion {
  version: string;
  path: string;
  binding: 'HTTPS';
  identifierType?: string;
  serviceId?: string;
  auth?: VersionAuth;
}

export interface VersionResponse {
  protocolVersions: ProtocolVersion[];
}

/** Maps each validatable `@type` (plus the two context-free documents) to its TS shape. */
export interface DspMessageTypes {
  CatalogRequestMessage: CatalogRequestMessage;
  DatasetRequestMessage: DatasetRequestMessage;
  Catalog: Catalog & { '@context': string[]; participantId: string };
  Dataset: Dataset & { '@context': string[] };
  CatalogError: CatalogError;
  ContractRequestMessage: ContractRequestMessage;
  ContractOfferMessage: ContractOfferMessage;
  ContractAgreementMessage: ContractAgreementMessage;
  ContractAgreementVerificationMessage: ContractAgreementVerificationMessage;
  ContractNegotiationEventMessage: ContractNegotiationEventMessage;
  ContractNegotiationTerminationMessage: ContractNegotiationTerminationMessage;
  ContractNegotiation: ContractNegotiationAck;
  ContractNegotiationError: ContractNegotiationError;
  TransferRequestMessage: TransferRequestMessage;
  TransferStartMessage: TransferStartMessage;
  TransferSuspensionMessage: TransferSuspensionMessage;
  TransferCompletionMessage: TransferCompletionMessage;
  TransferTerminationMessage: TransferTerminationMessage;
  TransferProcess: TransferProcessAck;
  TransferError: TransferError;
  DataAddress: DataAddress;
  VersionResponse: VersionResponse;
}

export type DspMessageType = keyof DspMessageTypes;
