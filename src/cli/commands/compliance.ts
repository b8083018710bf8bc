/**
 * `sovc compliance report --since DATE [--partner CODE|DID]`: the evidence pack for the
 * nation's auditors (issue 5 "Compliance evidence"), signed by the connector as a
 * ComplianceEvidenceCredential and rendered as HTML. The connector is opened as `sovc did`
 * and `sovc audit` open it (keystore, passphrase, database); the jurisdiction profile in
 * force is `connectors/<partner>/jurisdiction.json` of the partner named by `--profile`,
 * else by `--config`'s connector.json. All logic lives in src/compliance.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { createStoreAuditLog, kmsAuditSigner } from '../../audit/index.js';
import { systemClock } from '../../clock/index.js';
import { buildEvidencePack, renderEvidencePackHtml, type EvidencePackResult } from '../../compliance/index.js';
import { loadConnectorConfig } from '../../config/index.js';
import { DomainError, fail, unwrap } from '../../errors/index.js';
import { verifySignature } from '../../kms/index.js';
import { loadJurisdictionProfiles, type JurisdictionProfile } from '../../policy/index.js';
import { openStore } from './audit.js';
import { connectorOptions, processIo, resolveLocation, withConnectorIdentity, type CliIo, type ConnectorLocation } from './did.js';

export interface ReportFlags extends ConnectorLocation {
  since: string;
  partner?: string;
  /** Partner id whose jurisdiction.json is in force (default: `partner` of --config). */
  profile?: string;
  /** Folder holding `<partner>/jurisdiction.json` (default: the project's connectors/). */
  connectorsDir?: string;
  databaseUrl?: string;
  out?: string;
  html?: string;
}

function profileInForce(flags: ReportFlags, io: CliIo): JurisdictionProfile {
  const code = flags.profile ?? (flags.config === undefined ? undefined : unwrap(loadConnectorConfig({ file: flags.config, env: io.env })).partner);
  if (code === undefined) throw new DomainError(fail('SOV_BAD_REQUEST', 'name the jurisdiction profile in force: --profile <partner> or --config connectors/<partner>/connector.json'));
  const profile = unwrap(loadJurisdictionProfiles(flags.connectorsDir)).byPartner.get(code);
  if (profile === undefined) throw new DomainError(fail('SOV_COMPLIANCE_PROFILE_MISSING', `no jurisdiction profile for partner ${code}`));
  return profile;
}

async function writeOutputs(result: EvidencePackResult, flags: ReportFlags, dataDir: string): Promise<{ json: string; html: string }> {
  const stamp = result.pack.generatedAt.replace(/[:.]/g, '-');
  const json = flags.out ?? join(dataDir, 'reports', `compliance-evidence-${stamp}.json`);
  const html = flags.html ?? json.replace(/\.json$/, '') + '.html';
  for (const file of [json, html]) await mkdir(dirname(file), { recursive: true });
  await writeFile(json, `${JSON.stringify(result.credential, null, 2)}\n`);
  await writeFile(html, renderEvidencePackHtml(result));
  return { json, html };
}

/** Builds, signs and writes the pack; resolves to the files written. */
export async function complianceReport(flags: ReportFlags, io: CliIo): Promise<{ json: string; html: string }> {
  const { dataDir } = resolveLocation(flags, io.env);
  const profile = profileInForce(flags, io);
  return withConnectorIdentity(flags, io, async (identity, kms) => {
    const db = await openStore({ dataDir, ...(flags.databaseUrl === undefined ? {} : { databaseUrl: flags.databaseUrl }) }, io);
    try {
      const audit = createStoreAuditLog({ db, clock: systemClock, signer: kmsAuditSigner(kms, verifySignature) });
      const built = { audit, identity, profile, since: flags.since, clock: systemClock, ...(flags.partner === undefined ? {} : { partner: flags.partner }) };
      const result = unwrap(await buildEvidencePack(built));
      const files = await writeOutputs(result, flags, dataDir);
      const { counts, auditLog } = result.pack;
      io.out(`evidence pack signed by ${identity.did}: ${counts.outbound} transfers out, ${counts.refusals} refusals, ${counts.keyEvents} key events, ${counts.receipts} receipts, ${counts.anomalies} anomalies`);
      io.out(`audit log ${auditLog.verified ? 'verified' : 'FAILED verification'}; pack covers entries through ${auditLog.coveredThroughSeq}`);
      io.out(`JSON (verifiable credential): ${files.json}`);
      io.out(`HTML: ${files.html}`);
      return files;
    } finally {
      await db.close();
    }
  });
}

export function register(program: Command): void {
  const compliance = program.command('compliance').description('Evidence for the nation\'s auditors');
  connectorOptions(compliance.command('report').description('Sign an evidence pack (transfers out, refusals, key events, profile, audit head) as a VC, with an HTML rendering'))
    .requiredOption('--since <date>', 'ISO date or date-time: entries at or after it')
    .option('--partner <code>', 'only transfers and refusals to or from this partner id (ca, eu/de) or DID')
    .option('--profile <partner>', 'partner whose jurisdiction.json is in force (default: from --config)')
    .option('--database-url <url>', 'database (default: $DATABASE_URL, else <data dir>/connector.db)')
    .option('--out <file>', 'where to write the signed JSON (default: <data dir>/reports/compliance-evidence-<time>.json)')
    .option('--html <file>', 'where to write the HTML (default: next to the JSON)')
    .action(async (flags: ReportFlags) => {
      await complianceReport(flags, processIo);
    });
}
