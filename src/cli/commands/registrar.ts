/**
 * `sovc registrar init | show | accredit | revoke | list`: run a national registrar from the
 * command line (design.md "Trust model"). The registrar lives in its own data directory (its
 * own keystore, status list and record of issued credentials; see src/trust
 * `openRegistrarDataDir`). `init` prints the trust-list entry partners add to their
 * connector.json to accept it; `accredit` prints the new credential's id and can write the
 * credential for the member to install. All logic lives in src/trust; this file parses flags.
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { systemClock } from '../../clock/index.js';
import { DomainError, fail, unwrap } from '../../errors/index.js';
import { memberRoles, openRegistrarDataDir, registrarTrustEntry, type MemberRole, type OpenedRegistrar, type Registrar } from '../../trust/index.js';
import { processIo, type CliIo } from './did.js';

interface Location {
  dataDir: string;
  baseUrl?: string;
}

interface AccreditFlags extends Location {
  subject: string;
  legalName: string;
  registration: string;
  jurisdiction: string;
  subdivision: string;
  roles: string;
  maxClassification?: string;
  out?: string;
}

async function withRegistrar<T>(location: Location, io: CliIo, create: boolean, task: (registrar: Registrar) => Promise<T>): Promise<T> {
  const opened: OpenedRegistrar = unwrap(
    await openRegistrarDataDir({ dataDir: location.dataDir, clock: systemClock, env: io.env, create, ...(location.baseUrl === undefined ? {} : { baseUrl: location.baseUrl }) }),
  );
  try {
    return await task(opened.registrar);
  } finally {
    opened.close();
  }
}

/** The entry a connector adds to its `trustList` to accept this registrar, with its key pinned. */
export function registrarShow(location: Location & { out?: string }, io: CliIo, create = false): Promise<void> {
  return withRegistrar(location, io, create, async (registrar) => {
    const entry = registrarTrustEntry(registrar);
    io.out(`registrar DID: ${registrar.did}`);
    io.out(`DID document:  ${registrar.baseUrl}/did.json`);
    io.out('trust-list entry for partners\' connector.json:');
    io.out(JSON.stringify(entry, null, 2));
    if (location.out !== undefined) {
      await writeFile(location.out, `${JSON.stringify(entry, null, 2)}\n`);
      io.out(`written to ${location.out} (for partners' SOVC_TRUST_DIR)`);
    }
  });
}

function parseRoles(text: string): MemberRole[] {
  const roles = text.split(',').map((r) => r.trim()).filter((r) => r.length > 0);
  const unknown = roles.filter((r) => !(memberRoles as readonly string[]).includes(r));
  if (unknown.length > 0) throw new DomainError(fail('SOV_BAD_REQUEST', `unknown role ${unknown.join(', ')}; roles are ${memberRoles.join(', ')}`));
  return roles as MemberRole[];
}

export async function registrarAccredit(flags: AccreditFlags, io: CliIo): Promise<void> {
  const roles = parseRoles(flags.roles);
  return withRegistrar(flags, io, false, async (registrar) => {
    const issued = unwrap(
      await registrar.accredit({
        subject: flags.subject,
        legalName: flags.legalName,
        registrationNumber: flags.registration,
        jurisdiction: flags.jurisdiction,
        countrySubdivisionCode: flags.subdivision,
        roles,
        ...(flags.maxClassification === undefined ? {} : { maxClassification: flags.maxClassification }),
      }),
    );
    if (flags.out !== undefined) await writeFile(flags.out, `${JSON.stringify(issued.credential, null, 2)}\n`, { mode: 0o644 });
    io.out(issued.credentialId);
  });
}

export function registrarRevoke(credentialId: string, location: Location, io: CliIo): Promise<void> {
  return withRegistrar(location, io, false, async (registrar) => {
    const record = unwrap(await registrar.revoke(credentialId));
    io.out(`revoked ${credentialId} (${record.legalName}, ${record.subject}) at ${record.revokedAt ?? ''}; verifiers refuse it once their cached status list expires`);
  });
}

export function registrarList(location: Location, io: CliIo): Promise<void> {
  return withRegistrar(location, io, false, async (registrar) => {
    for (const r of await registrar.accreditations()) {
      io.out(`${r.credentialId}  ${r.revokedAt === undefined ? 'valid  ' : 'REVOKED'}  ${r.subject}  ${r.legalName}  [${r.roles.join(',')}]  until ${r.validUntil}`);
    }
  });
}

const dataDirOption = (command: Command): Command => command.requiredOption('--data-dir <dir>', 'the registrar\'s data directory');

export function register(program: Command): void {
  const registrar = program.command('registrar').description('A national registrar: accredit member connectors with membership credentials, revoke them');
  dataDirOption(registrar.command('init').description('Create the registrar (keys, passphrase, DID) and print the trust-list entry partners add'))
    .requiredOption('--base-url <url>', 'its public base URL, path included (e.g. http://127.0.0.1:7102/registrar)')
    .option('--out <file>', 'also write the trust-list entry to this file (a folder of such files is a SOVC_TRUST_DIR)')
    .action((flags: Location & { out?: string }) => registrarShow(flags, processIo, true));
  dataDirOption(registrar.command('show').description('Print the registrar DID and its trust-list entry')).action((flags: Location) => registrarShow(flags, processIo));
  dataDirOption(registrar.command('accredit').description('Issue a FederationMembershipCredential to a member connector; prints its id'))
    .requiredOption('--subject <did>', 'the member connector\'s DID')
    .requiredOption('--legal-name <name>', 'registered legal name')
    .requiredOption('--registration <number>', 'legal registration number')
    .requiredOption('--jurisdiction <code>', 'jurisdiction code, e.g. UK')
    .requiredOption('--subdivision <code>', 'ISO 3166-2 country subdivision, e.g. GB-ENG')
    .requiredOption('--roles <roles>', `comma-separated roles (${memberRoles.join(', ')})`)
    .option('--max-classification <label>', 'highest classification the member may receive, e.g. OFFICIAL')
    .option('--out <file>', 'also write the signed credential to this file (for the member to install)')
    .action((flags: AccreditFlags) => registrarAccredit(flags, processIo));
  dataDirOption(registrar.command('revoke').description('Revoke a membership credential (flips its bit in the registrar status list)'))
    .argument('<credentialId>', 'the id `accredit` printed')
    .action((credentialId: string, flags: Location) => registrarRevoke(credentialId, flags, processIo));
  dataDirOption(registrar.command('list').description('List the membership credentials issued, valid or revoked')).action((flags: Location) => registrarList(flags, processIo));
}
