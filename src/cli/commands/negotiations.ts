/**
 * `sovc negotiations start|list|show|terminate`: contract negotiations through the
 * management API. `show` prints the decision record: which rule and which constraint decided.
 */
import type { Command } from 'commander';
import type { ContractNegotiation } from '../../negotiation/index.js';
import { managementClient, processIo, segment, targetOptions, type CliIo, type ManagementTarget } from '../management-client.js';
import { renderTable } from '../table.js';

interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export function negotiationsTable(items: ContractNegotiation[]): string {
  return renderTable(
    ['ID', 'ROLE', 'STATE', 'COUNTERPARTY', 'DATASET', 'UPDATED'],
    items.map((n) => [n.id, n.role, n.state ?? '(sending)', n.counterpartyDid, n.offer.target, n.updatedAt]),
  );
}

export function negotiationDetail(n: ContractNegotiation): string {
  const rows: Array<[string, string]> = [
    ['id', n.id],
    ['role', n.role],
    ['state', n.state ?? `(sending ${n.pending?.message ?? ''})`],
    ['counterparty', n.counterpartyDid],
    ['dataset', n.offer.target],
    ['offer', n.offer['@id']],
    ['purpose', n.purpose ?? ''],
    ['agreement', n.agreement?.['@id'] ?? ''],
    ['updated', n.updatedAt],
  ];
  if (n.termination) rows.push(['terminated by', `${n.termination.by} ${n.termination.code ?? ''} ${JSON.stringify(n.termination.reason ?? [])}`]);
  if (n.decision) {
    rows.push(['decision', `${n.decision.permitted ? 'permitted' : 'refused'} at ${n.decision.stage} (${n.decision.reportDigest})`]);
    for (const reason of n.decision.reasons) rows.push(['  reason', `${reason.code} ${reason.rule ?? ''} ${reason.constraint ?? ''}: ${reason.message}`]);
  }
  return renderTable(['FIELD', 'VALUE'], rows);
}

type Options = ManagementTarget & { provider?: string; offer?: string; dataset?: string; purpose?: string; state?: string; limit?: string; cursor?: string; code?: string; reason?: string };

export async function negotiationsCommand(action: 'start' | 'list' | 'show' | 'terminate', options: Options, io: CliIo, id = ''): Promise<void> {
  const request = managementClient(options, io);
  const print = (value: unknown, text: () => string) => io.out(options.json ? JSON.stringify(value, null, 2) : text());
  if (action === 'list') {
    const query = new URLSearchParams();
    for (const key of ['state', 'limit', 'cursor'] as const) if (options[key] !== undefined) query.set(key, String(options[key]));
    const page = await request<Page<ContractNegotiation>>('GET', `/negotiations${query.size > 0 ? `?${query}` : ''}`);
    return print(page, () => negotiationsTable(page.items) + (page.nextCursor ? `\nmore: add --cursor ${page.nextCursor}` : ''));
  }
  let answer: ContractNegotiation;
  if (action === 'start') {
    const provider = String(options.provider);
    const purpose = options.purpose === undefined ? {} : { purpose: options.purpose };
    const body = { ...(provider.startsWith('did:') ? { providerDid: provider } : { url: provider }), offerId: options.offer, datasetId: options.dataset, ...purpose };
    answer = await request<ContractNegotiation>('POST', '/negotiations', body);
  } else if (action === 'show') {
    answer = await request<ContractNegotiation>('GET', `/negotiations/${segment(id)}`);
  } else {
    const body = { ...(options.code === undefined ? {} : { code: options.code }), ...(options.reason === undefined ? {} : { reason: options.reason }) };
    answer = await request<ContractNegotiation>('POST', `/negotiations/${segment(id)}/terminate`, body);
  }
  print(answer, () => negotiationDetail(answer));
}

export function register(program: Command, io: CliIo = processIo): void {
  const negotiations = program.command('negotiations').description('Contract negotiations (management API): start, list, show, terminate');
  targetOptions(negotiations.command('start').description("Request an offer of a partner's catalogue"))
    .requiredOption('--provider <did|url>', "the provider's DID or URL")
    .requiredOption('--offer <id>', 'the offer @id from its catalogue')
    .requiredOption('--dataset <id>', 'the dataset the offer is for')
    .option('--purpose <purpose>', 'the purpose stated to the provider: a purpose IRI or short name, e.g. research/health')
    .action((options: Options) => negotiationsCommand('start', options, io));
  targetOptions(negotiations.command('list').description('List negotiations, newest first'))
    .option('--state <state>', 'only this state, e.g. FINALIZED')
    .option('--limit <n>', 'page size')
    .option('--cursor <cursor>', 'continue from a previous page')
    .action((options: Options) => negotiationsCommand('list', options, io));
  targetOptions(negotiations.command('show').description('Show a negotiation with its decision record').argument('<id>', 'negotiation id'))
    .action((id: string, options: Options) => negotiationsCommand('show', options, io, id));
  targetOptions(negotiations.command('terminate').description('Terminate a negotiation').argument('<id>', 'negotiation id'))
    .option('--code <code>', 'reason code sent to the counterparty')
    .option('--reason <text>', 'reason sent to the counterparty')
    .action((id: string, options: Options) => negotiationsCommand('terminate', options, io, id));
}
