/**
 * `sovc credential issue | verify | revoke`: issue a VC 2.0 credential from a JSON file of
 * claims with the connector's key (optionally with a revocation entry in its status list),
 * verify a credential or presentation file and print every reason it is refused, and revoke
 * an issued credential by id. All logic lives in src/identity; this file only parses flags.
 */
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { systemClock } from '../../clock/index.js';
import { DomainError, fail, unwrap, type Failure } from '../../errors/index.js';
import {
  createDidResolver,
  createHttpStatusListFetcher,
  createOfflineDocumentLoader,
  createStatusChecker,
  didFromUrl,
  shippedJsonLdContexts,
  SOV_CONTEXT_V1,
  VC_V2_CONTEXT,
  verifyCredential,
  verifyPresentation,
} from '../../identity/index.js';
import { recordCliAudit } from '../cli-audit.js';
import { connectorOptions, processIo, resolveLocation, withConnectorIdentity, type CliIo, type ConnectorLocation } from './did.js';

interface IssueFlags extends ConnectorLocation {
  type?: string[];
  context?: string[];
  subject?: string;
  id?: string;
  validDays: string;
  status?: boolean;
  out?: string;
}

async function readJson(file: string): Promise<Record<string, unknown>> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new DomainError(fail('SOV_BAD_REQUEST', `cannot read JSON from ${file}: ${error instanceof Error ? error.message : String(error)}`));
  }
}

/** A file with `credentialSubject` is a credential skeleton; any other object is the subject's claims. */
function unsignedCredential(json: Record<string, unknown>, flags: IssueFlags, issuer: string): Record<string, unknown> {
  const skeleton = 'credentialSubject' in json ? json : { credentialSubject: json };
  const subject = { ...(skeleton['credentialSubject'] as Record<string, unknown>) };
  if (flags.subject !== undefined) subject['id'] = flags.subject;
  const now = systemClock.now();
  return {
    '@context': [VC_V2_CONTEXT, SOV_CONTEXT_V1, ...(flags.context ?? [])],
    id: flags.id ?? `urn:uuid:${randomUUID()}`,
    type: ['VerifiableCredential', ...(flags.type ?? [])],
    validFrom: new Date(now).toISOString(),
    validUntil: new Date(now + Number(flags.validDays) * 86_400_000).toISOString(),
    ...skeleton,
    issuer,
    credentialSubject: subject,
  };
}

export async function credentialIssue(file: string, flags: IssueFlags, io: CliIo): Promise<void> {
  const json = await readJson(file);
  await withConnectorIdentity(flags, io, async (identity, kms) => {
    const issued = unwrap(await identity.issue(unsignedCredential(json, flags, identity.did), { withStatus: flags.status === true }));
    const types = [issued['type']].flat().filter((t): t is string => typeof t === 'string');
    await recordCliAudit(resolveLocation(flags, io.env).dataDir, io.env, kms, { type: 'credential.issued', subjects: [String(issued['id'])], details: { types } });
    const text = JSON.stringify(issued, null, 2);
    if (flags.out === undefined) io.out(text);
    else await writeFile(flags.out, `${text}\n`);
  });
}

interface VerifyFlags {
  challenge?: string;
  domain?: string;
  trustedIssuer?: string[];
  baseUrl?: string;
}

function report(io: CliIo, errors: Failure[], subject: string): boolean {
  if (errors.length === 0) {
    io.out(`verified: ${subject}`);
    return true;
  }
  io.out('refused:');
  for (const error of errors) io.out(`  ${error.code}: ${error.detail}`);
  return false;
}

/** Prints the verdict; resolves to whether the document verified. */
export async function credentialVerify(file: string, flags: VerifyFlags, io: CliIo): Promise<boolean> {
  const document = await readJson(file);
  const clock = systemClock;
  const statusChecker = createStatusChecker({ clock, fetchListCredential: createHttpStatusListFetcher() });
  const documentLoader = createOfflineDocumentLoader({ contexts: shippedJsonLdContexts(), didResolver: createDidResolver({ clock }), statusLists: statusChecker });
  const trusted = flags.trustedIssuer;
  const options = { documentLoader, clock, statusChecker, ...(trusted === undefined ? {} : { isTrustedIssuer: (issuer: string) => trusted.includes(issuer) }) };
  if (trusted === undefined) io.out('note: issuer trust not checked (pass --trusted-issuer DID to check it)');
  if ([document['type']].flat().includes('VerifiablePresentation')) {
    const domain = flags.domain ?? (flags.baseUrl === undefined ? undefined : unwrap(didFromUrl(flags.baseUrl)));
    if (flags.challenge === undefined || domain === undefined) {
      throw new DomainError(fail('SOV_BAD_REQUEST', 'a presentation is verified against the challenge and domain you issued: pass --challenge and --domain (or --base-url)'));
    }
    const result = await verifyPresentation(document, { ...options, challenge: flags.challenge, domain });
    return report(io, result.errors, result.verified ? `presentation by ${result.holder} with ${result.credentials.length} credential(s)` : '');
  }
  const result = await verifyCredential(document, options);
  return report(io, result.errors, result.verified ? `credential ${result.credential.id ?? ''} issued by ${result.issuer}` : '');
}

export function credentialRevoke(credentialId: string, location: ConnectorLocation, io: CliIo): Promise<void> {
  return withConnectorIdentity(location, io, async (identity, kms) => {
    const { index } = unwrap(await identity.statusList.revoke(credentialId));
    await recordCliAudit(resolveLocation(location, io.env).dataDir, io.env, kms, { type: 'credential.revoked', subjects: [credentialId], details: { statusListIndex: index } });
    io.out(`revoked ${credentialId} (status list index ${index}); verifiers see it once their cached list expires`);
  });
}

export function register(program: Command): void {
  const credential = program.command('credential').description('Issue, verify and revoke verifiable credentials (VC 2.0, eddsa-rdfc-2022)');
  connectorOptions(credential.command('issue').description('Issue a credential from a JSON file of claims, signed with the connector key'))
    .argument('<claims.json>', 'the subject\'s claims, or a credential skeleton with credentialSubject')
    .option('--type <type...>', 'credential types besides VerifiableCredential (e.g. FederationMembershipCredential)')
    .option('--context <url...>', 'extra JSON-LD contexts (must be shipped in vocab/)')
    .option('--subject <did>', 'credentialSubject.id')
    .option('--id <id>', 'credential id (default: a fresh urn:uuid)')
    .option('--valid-days <days>', 'validity period in days', '365')
    .option('--status', 'add a revocation entry in the connector\'s status list')
    .option('--out <file>', 'write the credential to a file instead of stdout')
    .action((file: string, flags: IssueFlags) => credentialIssue(file, flags, processIo));
  credential
    .command('verify')
    .description('Verify a credential or presentation file and print the reasons it is refused')
    .argument('<file>', 'a VC or VP as JSON')
    .option('--challenge <nonce>', 'the challenge a presentation must be signed for')
    .option('--domain <did>', 'the domain (verifier DID) a presentation must be signed for')
    .option('--base-url <url>', 'derive --domain from this connector base URL')
    .option('--trusted-issuer <did...>', 'accept only credentials from these issuers')
    .action(async (file: string, flags: VerifyFlags) => {
      if (!(await credentialVerify(file, flags, processIo))) process.exitCode = 1;
    });
  connectorOptions(credential.command('revoke').description('Revoke a credential this connector issued with --status'))
    .argument('<credentialId>', 'the id of the credential to revoke')
    .action((credentialId: string, flags: ConnectorLocation) => credentialRevoke(credentialId, flags, processIo));
}
