/**
 * Module declarations for the digitalbazaar VC stack, which ships JavaScript without type
 * declarations (packages.md gotcha 3). Only the surface the connector uses is declared, with
 * `unknown` where the library accepts or returns free-form JSON-LD.
 */

declare module '@digitalbazaar/vc' {
  export type DocumentLoader = (url: string) => Promise<{ contextUrl: string | null; documentUrl: string; document: unknown }>;

  /** What jsonld-signatures and `vc` return from verification. */
  export interface VerifyResult {
    verified: boolean;
    error?: unknown;
    results?: Array<{ verified: boolean; error?: unknown; proof?: unknown; purposeResult?: unknown }>;
    statusResult?: { verified: boolean; error?: unknown; [key: string]: unknown };
  }

  export interface VerifyPresentationResult extends VerifyResult {
    presentationResult?: VerifyResult;
    credentialResults?: Array<VerifyResult & { credentialId?: string }>;
  }

  export type CheckStatus = (options: { credential: Record<string, unknown> } & Record<string, unknown>) => Promise<{
    verified: boolean;
    error?: unknown;
    [key: string]: unknown;
  }>;

  export interface CommonOptions {
    documentLoader: DocumentLoader;
    now?: Date | string;
    maxClockSkew?: number;
  }

  export function issue(options: CommonOptions & { credential: Record<string, unknown>; suite: unknown }): Promise<Record<string, unknown>>;
  export function verifyCredential(
    options: CommonOptions & { credential: unknown; suite: unknown; checkStatus?: CheckStatus },
  ): Promise<VerifyResult>;
  export function createPresentation(options: {
    verifiableCredential?: unknown | unknown[];
    id?: string;
    holder?: string;
    now?: Date | string;
    version?: number;
    maxClockSkew?: number;
  }): Record<string, unknown>;
  export function signPresentation(
    options: CommonOptions & { presentation: Record<string, unknown>; suite: unknown; challenge: string; domain?: string },
  ): Promise<Record<string, unknown>>;
  export function verify(
    options: CommonOptions & {
      presentation: unknown;
      suite: unknown;
      challenge: string;
      domain?: string;
      checkStatus?: CheckStatus;
    },
  ): Promise<VerifyPresentationResult>;
  export const defaultDocumentLoader: DocumentLoader;
}

declare module '@digitalbazaar/data-integrity' {
  export interface Signer {
    id: string;
    algorithm: string;
    sign(input: { data: Uint8Array }): Promise<Uint8Array>;
  }
  export class DataIntegrityProof {
    constructor(options: { signer?: Signer; cryptosuite: unknown; date?: Date | string | number | null });
  }
}

declare module '@digitalbazaar/eddsa-rdfc-2022-cryptosuite' {
  export const cryptosuite: { name: string; requiredAlgorithm: string };
}

declare module '@digitalbazaar/ed25519-multikey' {
  import type { Signer } from '@digitalbazaar/data-integrity';
  export interface Ed25519KeyPair {
    id: string;
    controller: string;
    publicKeyMultibase: string;
    secretKeyMultibase?: string;
    signer(): Signer;
    export(options: { publicKey?: boolean; secretKey?: boolean; includeContext?: boolean }): Promise<Record<string, unknown>>;
  }
  export function generate(options?: { id?: string; controller?: string; seed?: Uint8Array }): Promise<Ed25519KeyPair>;
  export function from(key: Record<string, unknown>): Promise<Ed25519KeyPair>;
}

declare module '@digitalbazaar/credentials-context' {
  export const contexts: Map<string, unknown>;
}

declare module '@digitalbazaar/data-integrity-context' {
  export const contexts: Map<string, unknown>;
}

declare module '@digitalbazaar/multikey-context' {
  export const contexts: Map<string, unknown>;
  export const CONTEXT_URL: string;
}

declare module 'did-context' {
  export const contexts: Map<string, unknown>;
}

declare module '@digitalbazaar/odrl-context' {
  export const contexts: Map<string, unknown>;
}

declare module '@digitalbazaar/vc-bitstring-status-list' {
  export class BitstringStatusList {
    length: number;
    setStatus(index: number, status: boolean): void;
    getStatus(index: number): boolean;
    encode(): Promise<string>;
  }
  export function createList(options: { length: number }): Promise<BitstringStatusList>;
  export function decodeList(options: { encodedList: string }): Promise<BitstringStatusList>;
  export function createCredential(options: {
    id: string;
    list: BitstringStatusList;
    statusPurpose: string;
    context?: string[];
  }): Promise<Record<string, unknown>>;
  export function checkStatus(options: {
    credential: unknown;
    documentLoader: unknown;
    suite: unknown;
    verifyBitstringStatusListCredential?: boolean;
    verifyMatchingIssuers?: boolean;
  }): Promise<{ verified: boolean; error?: unknown; results?: Array<{ verified: boolean; status: boolean }> }>;
}
