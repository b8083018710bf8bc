/**
 * `sovc agreements list|show|verify`: the contract agreements this connector holds (from
 * FINALIZED negotiations); `verify` checks both parties' signatures again and exits 1 if
 * either fails.
 */
import type { Command } from 'commander';
import { DomainError, fail } from '../../errors/index.js';
import type { AgreementView } from '../../http/management/index.js';
import { managementClient, processIo, segment, targetOptions, type CliIo, type ManagementTarget } from '../management-client.js';
import { renderTable } from '../table.js';

interface SignatureCheck {
  signer: string;
  verified: boolean;
  errors: string[];
}

interface AgreementVerification {
  agreementId: string;
  verified: boolean;
  provider: SignatureCheck;
  consumer: SignatureCheck;
}

export function agreementsTable(items: AgreementView[]): string {
  return renderTable(['ID', 'ROLE', 'COUNTERPARTY', 'DATASET', 'CONCLUDED'], items.map((a) => [a.id, a.role, a.counterpartyDid, a.target, a.concludedAt]));
}

function verificationText(result: AgreementVerification): string {
  const row = (party: string, check: SignatureCheck) => [party, check.signer, check.verified ? 'valid' : 'INVALID', check.errors.join('; ')];
  const table = renderTable(['PARTY', 'SIGNER', 'SIGNATURE', 'ERRORS'], [row('provider', result.provider), row('consumer', result.consumer)]);
  return `${table}\nagreement ${result.agreementId}: ${result.verified ? 'both signatures verify' : 'FAILED verification'}`;
}

type Options = ManagementTarget & { limit?: string; cursor?: string };

export async function agreementsCommand(action: 'list' | 'show' | 'verify', options: Options, io: CliIo, id = ''): Promise<void> {
  const request = managementClient(options, io);
  const print = (value: unknown, text: () => string) => io.out(options.json ? JSON.stringify(value, null, 2) : text());
  if (action === 'list') {
    const query = new URLSearchParams();
    for (const key of ['limit', 'cursor'] as const) if (options[key] !== undefined) query.set(key, String(options[key]));
    const page = await request<{ items: AgreementView[]; nextCursor?: string }>('GET', `/agreements${query.size > 0 ? `?${query}` : ''}`);
    return print(page, () => agreementsTable(page.items) + (page.nextCursor ? `\nmore: add --cursor ${page.nextCursor}` : ''));
  }
  if (action === 'show') {
    const agreement = await request<AgreementView>('GET', `/agreements/${segment(id)}`);
    return print(agreement, () => `${agreementsTable([agreement])}\n\n${JSON.stringify(agreement.agreement, null, 2)}`);
  }
  const result = await request<AgreementVerification>('POST', `/agreements/${segment(id)}/verify`);
  print(result, () => verificationText(result));
  if (!result.verified) throw new DomainError(fail('SOV_NEG_SIGNATURE_INVALID', `agreement ${id} does not verify`));
}

export function register(program: Command, io: CliIo = processIo): void {
  const agreements = program.command('agreements').description('Contract agreements this connector holds: list, show, verify signatures');
  targetOptions(agreements.command('list').description('List agreements, newest first'))
    .option('--limit <n>', 'page size')
    .option('--cursor <cursor>', 'continue from a previous page')
    .action((options: Options) => agreementsCommand('list', options, io));
  targetOptions(agreements.command('show').description('Show an agreement').argument('<id>', 'agreement id'))
    .action((id: string, options: Options) => agreementsCommand('show', options, io, id));
  targetOptions(agreements.command('verify').description("Verify both parties' signatures; exits 1 if either fails").argument('<id>', 'agreement id'))
    .action((id: string, options: Options) => agreementsCommand('verify', options, io, id));
}
