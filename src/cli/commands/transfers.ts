/**
 * `sovc transfers start|list|show|suspend|resume|terminate`: transfer processes through the
 * management API.
 */
import type { Command } from 'commander';
import type { TransferProcess } from '../../transfer/index.js';
import { managementClient, processIo, segment, targetOptions, type CliIo, type ManagementTarget } from '../management-client.js';
import { renderTable } from '../table.js';

export function transfersTable(items: TransferProcess[]): string {
  return renderTable(
    ['ID', 'ROLE', 'STATE', 'AGREEMENT', 'FORMAT', 'COUNTERPARTY', 'UPDATED'],
    items.map((t) => [t.id, t.role, t.state ?? '(sending)', t.agreementId, t.format, t.counterpartyDid, t.updatedAt]),
  );
}

function detail(t: TransferProcess): string {
  const rows: Array<[string, string]> = [
    ['id', t.id],
    ['role', t.role],
    ['state', t.state ?? `(sending ${t.pending?.message ?? ''})`],
    ['agreement', t.agreementId],
    ['dataset', t.datasetId],
    ['format', t.format],
    ['counterparty', t.counterpartyDid],
    ['data address', t.dataAddress === undefined ? '' : JSON.stringify(t.dataAddress)],
    ['updated', t.updatedAt],
  ];
  for (const [label, event] of [['suspended', t.suspension], ['terminated', t.termination]] as const) {
    if (event !== undefined) rows.push([label, `by ${event.by} ${event.code ?? ''} ${JSON.stringify(event.reason ?? [])}`]);
  }
  return renderTable(['FIELD', 'VALUE'], rows);
}

type Action = 'start' | 'list' | 'show' | 'suspend' | 'resume' | 'terminate';
type Options = ManagementTarget & { agreement?: string; format?: string; state?: string; limit?: string; cursor?: string; code?: string; reason?: string };

export async function transfersCommand(action: Action, options: Options, io: CliIo, id = ''): Promise<void> {
  const request = managementClient(options, io);
  const print = (value: unknown, text: () => string) => io.out(options.json ? JSON.stringify(value, null, 2) : text());
  if (action === 'list') {
    const query = new URLSearchParams();
    for (const key of ['state', 'limit', 'cursor'] as const) if (options[key] !== undefined) query.set(key, String(options[key]));
    const page = await request<{ items: TransferProcess[]; nextCursor?: string }>('GET', `/transfers${query.size > 0 ? `?${query}` : ''}`);
    return print(page, () => transfersTable(page.items) + (page.nextCursor ? `\nmore: add --cursor ${page.nextCursor}` : ''));
  }
  const why = { ...(options.code === undefined ? {} : { code: options.code }), ...(options.reason === undefined ? {} : { reason: options.reason }) };
  const answer =
    action === 'start' ? await request<TransferProcess>('POST', '/transfers', { agreementId: options.agreement, ...(options.format === undefined ? {} : { format: options.format }) })
    : action === 'show' ? await request<TransferProcess>('GET', `/transfers/${segment(id)}`)
    : await request<TransferProcess>('POST', `/transfers/${segment(id)}/${action}`, action === 'resume' ? {} : why);
  print(answer, () => detail(answer));
}

export function register(program: Command, io: CliIo = processIo): void {
  const transfers = program.command('transfers').description('Transfer processes (management API): start, list, show, suspend, resume, terminate');
  targetOptions(transfers.command('start').description('Request a transfer under a finalized agreement'))
    .requiredOption('--agreement <id>', 'the agreement id')
    .option('--format <format>', 'distribution format: HttpData-PULL (default) or HttpData-PUSH')
    .action((options: Options) => transfersCommand('start', options, io));
  targetOptions(transfers.command('list').description('List transfers, newest first'))
    .option('--state <state>', 'only this state, e.g. STARTED')
    .option('--limit <n>', 'page size')
    .option('--cursor <cursor>', 'continue from a previous page')
    .action((options: Options) => transfersCommand('list', options, io));
  targetOptions(transfers.command('show').description('Show a transfer').argument('<id>', 'transfer id'))
    .action((id: string, options: Options) => transfersCommand('show', options, io, id));
  for (const action of ['suspend', 'resume', 'terminate'] as const) {
    const command = targetOptions(transfers.command(action).description(`${action[0]?.toUpperCase()}${action.slice(1)} a transfer`).argument('<id>', 'transfer id'));
    if (action !== 'resume') command.option('--code <code>', 'reason code sent to the counterparty').option('--reason <text>', 'reason sent to the counterparty');
    command.action((id: string, options: Options) => transfersCommand(action, options, io, id));
  }
}
