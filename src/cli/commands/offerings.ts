/**
 * `sovc offerings list|show|create|update|retire`: this connector's offerings through its
 * management API. A body can come from `--file` (JSON, as the API takes it) or from flags;
 * flags override the file. Tables by default, `--json` for scripts.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { DomainError, fail } from '../../errors/index.js';
import type { Offering, OfferingPage } from '../../offerings/index.js';
import { managementClient, processIo, segment, targetOptions, type CliIo, type ManagementTarget } from '../management-client.js';
import { renderTable } from '../table.js';

interface BodyFlags {
  file?: string;
  title?: string;
  description?: string;
  keyword?: string[];
  template?: string;
  param?: string[];
  classification?: string;
  personalData?: boolean;
  sourceType?: string;
  sourceRef?: string;
  anonymisation?: string;
  expectedVersion?: number;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 1) throw new DomainError(fail('SOV_BAD_REQUEST', `expected a positive integer, got ${value}`));
  return parsed;
}

/** `k=v` template parameters; values that read as JSON (numbers, lists) are taken as JSON. */
function params(pairs: string[]): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at < 1) throw new DomainError(fail('SOV_BAD_REQUEST', `--param takes name=value, got ${pair}`));
    const raw = pair.slice(at + 1);
    try {
      result[pair.slice(0, at)] = JSON.parse(raw) as unknown;
    } catch {
      result[pair.slice(0, at)] = raw;
    }
  }
  return result;
}

function readBody(file: string | undefined): Record<string, unknown> {
  if (file === undefined) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new DomainError(fail('SOV_BAD_REQUEST', `cannot read a JSON offering from ${file}: ${(error as Error).message}`));
  }
}

/** The request body: the file's fields, then every flag given. */
export function offeringBody(flags: BodyFlags): Record<string, unknown> {
  const body = readBody(flags.file);
  const set = (key: string, value: unknown) => {
    if (value !== undefined) body[key] = value;
  };
  set('title', flags.title);
  set('description', flags.description);
  set('keywords', flags.keyword);
  if (flags.template !== undefined) body['policy'] = { template: flags.template, params: params(flags.param ?? []) };
  set('classification', flags.classification);
  set('personalData', flags.personalData);
  if (flags.sourceType !== undefined || flags.sourceRef !== undefined) body['dataSource'] = { type: flags.sourceType ?? 'file', reference: flags.sourceRef };
  if (flags.anonymisation !== undefined) body['anonymisation'] = { declarationRef: flags.anonymisation };
  set('expectedVersion', flags.expectedVersion);
  return body;
}

function policyName(offering: Offering): string {
  return 'template' in offering.policy.source ? offering.policy.source.template : 'inline ODRL';
}

export function offeringsTable(offerings: Offering[]): string {
  return renderTable(
    ['ID', 'TITLE', 'CLASSIFICATION', 'POLICY', 'STATUS', 'VERSION', 'UPDATED'],
    offerings.map((o) => [o.id, o.title, o.classification, policyName(o), o.status, String(o.version), o.updatedAt]),
  );
}

function offeringDetail(o: Offering): string {
  const rows: Array<[string, string]> = [
    ['id', o.id],
    ['offer id', o.offerId],
    ['title', o.title],
    ['description', o.description ?? ''],
    ['keywords', o.keywords.join(', ')],
    ['formats', o.formats.join(', ')],
    ['policy', policyName(o)],
    ['classification', o.classification],
    ['personal data', o.personalData ? 'yes' : 'no'],
    ['data source', `${o.dataSource.type}: ${o.dataSource.reference}`],
    ['anonymisation', o.anonymisation?.declarationRef ?? ''],
    ['status', o.status],
    ['version', String(o.version)],
    ['updated', o.updatedAt],
  ];
  return renderTable(['FIELD', 'VALUE'], rows);
}

export async function offeringsCommand(action: 'list' | 'show' | 'create' | 'update' | 'retire', target: ManagementTarget & BodyFlags & { status?: string; limit?: number; cursor?: string }, io: CliIo, id?: string): Promise<void> {
  const request = managementClient(target, io);
  const print = (value: unknown, text: () => string) => io.out(target.json ? JSON.stringify(value, null, 2) : text());
  if (action === 'list') {
    const query = new URLSearchParams();
    for (const key of ['status', 'limit', 'cursor'] as const) if (target[key] !== undefined) query.set(key, String(target[key]));
    const page = await request<OfferingPage>('GET', `/offerings${query.size > 0 ? `?${query}` : ''}`);
    return print(page, () => offeringsTable(page.items) + (page.nextCursor ? `\nmore: add --cursor ${page.nextCursor}` : ''));
  }
  const path = `/offerings/${segment(id ?? '')}`;
  const answer =
    action === 'show' ? await request<Offering>('GET', path)
    : action === 'create' ? await request<Offering>('POST', '/offerings', offeringBody(target))
    : action === 'update' ? await request<Offering>('PATCH', path, offeringBody(target))
    : await request<Offering>('POST', `${path}/retire`, target.expectedVersion === undefined ? {} : { expectedVersion: target.expectedVersion });
  print(answer, () => offeringDetail(answer));
}

function bodyOptions(command: Command): Command {
  return command
    .option('--file <path>', 'a JSON body as the API takes it (flags override its fields)')
    .option('--title <text>', 'dataset title')
    .option('--description <text>', 'dataset description')
    .option('--keyword <word>', 'a keyword (repeatable)', collect)
    .option('--template <name>', 'a contract template from contracts/ (see sovc policy templates)')
    .option('--param <name=value>', 'a template parameter (repeatable)', collect)
    .option('--classification <label>', "a label of this partner's classification scheme, e.g. OFFICIAL")
    .option('--personal-data', 'the dataset holds personal data (say one or the other when creating)')
    .option('--no-personal-data', 'the dataset holds no personal data')
    .option('--source-type <type>', 'data source type (default file)')
    .option('--source-ref <reference>', 'data source reference, e.g. a path')
    .option('--anonymisation <declarationRef>', 'the anonymisation declaration the anonymize duty runs with');
}

export function register(program: Command, io: CliIo = processIo): void {
  const offerings = program.command('offerings').description("This connector's offerings (management API): list, show, create, update, retire");
  targetOptions(offerings.command('list').description('List offerings, newest first'))
    .option('--status <status>', 'active or retired')
    .option('--limit <n>', 'page size', positiveInteger)
    .option('--cursor <cursor>', 'continue from a previous page')
    .action((options: ManagementTarget) => offeringsCommand('list', options, io));
  targetOptions(offerings.command('show').description('Show one offering').argument('<id>', 'dataset id'))
    .action((id: string, options: ManagementTarget) => offeringsCommand('show', options, io, id));
  bodyOptions(targetOptions(offerings.command('create').description('Offer a dataset')))
    .action((options: ManagementTarget & BodyFlags) => offeringsCommand('create', options, io));
  bodyOptions(targetOptions(offerings.command('update').description('Change fields of an offering (a new version)').argument('<id>', 'dataset id')))
    .option('--expected-version <n>', 'refuse if the offering changed since this version', positiveInteger)
    .action((id: string, options: ManagementTarget & BodyFlags) => offeringsCommand('update', options, io, id));
  targetOptions(offerings.command('retire').description('Retire an offering').argument('<id>', 'dataset id'))
    .option('--expected-version <n>', 'refuse if the offering changed since this version', positiveInteger)
    .action((id: string, options: ManagementTarget & BodyFlags) => offeringsCommand('retire', options, io, id));
}
