/**
 * `sovc policy check FILE | evaluate --policy FILE --request FILE | templates | instantiate NAME`
 * (issue 4). `check` lists every problem with its JSON path and exits 1 when the policy would be
 * refused. `evaluate` prints the decision report (explanation, or `--json` for the canonical
 * report) and exits 0 when permitted, 2 when denied; with `--provider` the provider's
 * jurisdiction profile (from `--jurisdictions DIR`, default connectors/) is enforced too.
 */
import { Command, Option } from 'commander';
import { DomainError, unwrap, type Result } from '../../errors/index.js';
import {
  canonicalReport,
  checkPolicy,
  compilePolicy,
  evaluate,
  evaluateWithJurisdiction,
  loadContractTemplates,
  loadJurisdictionProfiles,
  loadPolicyVocabulary,
  parseEvaluationInput,
  readJsonFile,
  type DecisionReport,
} from '../../policy/index.js';

export interface PolicyIo {
  out(text: string): void;
}

const consoleIo: PolicyIo = { out: (text) => console.log(text) };

function must<T>(result: Result<T>): T {
  return unwrap(result);
}

export async function runCheck(file: string, options: { vocab?: string }, io: PolicyIo = consoleIo): Promise<number> {
  const vocabulary = must(loadPolicyVocabulary(options.vocab));
  const problems = await checkPolicy(must(readJsonFile(file)), vocabulary);
  for (const item of problems) io.out(`${item.severity.toUpperCase()} ${item.path}: ${item.message} (${item.code})`);
  const errors = problems.filter((item) => item.severity === 'error').length;
  io.out(errors === 0 ? `${file}: valid ODRL policy${problems.length > 0 ? ` (${problems.length} warning(s))` : ''}` : `${file}: ${errors} problem(s)`);
  return errors === 0 ? 0 : 1;
}

export interface EvaluateOptions {
  policy: string;
  request: string;
  provider?: string;
  jurisdictions?: string;
  vocab?: string;
  json?: boolean;
}

export async function runEvaluate(options: EvaluateOptions, io: PolicyIo = consoleIo): Promise<number> {
  const vocabulary = must(loadPolicyVocabulary(options.vocab));
  const input = must(parseEvaluationInput(must(readJsonFile(options.request))));
  const policy = await compilePolicy(must(readJsonFile(options.policy)), { vocabulary });
  let report: DecisionReport;
  if (options.provider === undefined) {
    report = evaluate(policy, input.request, input.world);
  } else {
    const profiles = must(loadJurisdictionProfiles(options.jurisdictions));
    if (!profiles.byPartner.has(options.provider)) {
      throw new DomainError({ ok: false, code: 'SOV_POLICY_JURISDICTION_UNKNOWN', detail: `no jurisdiction profile for ${options.provider}` });
    }
    report = evaluateWithJurisdiction({ policy, request: input.request, world: input.world, profiles, provider: options.provider });
  }
  io.out(options.json === true ? canonicalReport(report) : `${report.explanation}\noutcome: ${report.outcome}`);
  return report.decision === 'permit' ? 0 : 2;
}

function parseParam(value: string, previous: Record<string, unknown>): Record<string, unknown> {
  const equals = value.indexOf('=');
  if (equals < 1) throw new DomainError({ ok: false, code: 'SOV_POLICY_TEMPLATE_PARAMS', detail: `--param takes name=value, got ${value}` });
  const raw = value.slice(equals + 1);
  const parsed: unknown = /^-?\d+$/.test(raw) ? Number(raw) : raw.includes(',') ? raw.split(',') : raw;
  return { ...previous, [value.slice(0, equals)]: parsed };
}

export function register(program: Command): void {
  const policy = program.command('policy').description('ODRL policies: check, evaluate, contract templates');
  const vocab = new Option('--vocab <dir>', 'directory of the vocab/ JSON-LD files');
  policy
    .command('check')
    .argument('<file>', 'ODRL policy (JSON-LD)')
    .description('validate a policy and explain each problem with its JSON path (exit 1 on problems)')
    .addOption(vocab)
    .action(async (file: string, options: { vocab?: string }) => {
      process.exitCode = await runCheck(file, options);
    });
  policy
    .command('evaluate')
    .description('evaluate a request against a policy and print the decision report (exit 2 when denied)')
    .requiredOption('--policy <file>', 'ODRL policy (JSON-LD)')
    .requiredOption('--request <file>', 'JSON {"request": {...}, "world": {...}}')
    .option('--provider <partner>', "enforce this partner's jurisdiction profile as well")
    .option('--jurisdictions <dir>', 'folder of <partner>/jurisdiction.json (default connectors/)')
    .option('--json', 'print the canonical JSON report')
    .addOption(new Option('--vocab <dir>', 'directory of the vocab/ JSON-LD files'))
    .action(async (options: EvaluateOptions) => {
      process.exitCode = await runEvaluate(options);
    });
  policy
    .command('templates')
    .description('list the contract templates with their descriptions and parameters')
    .action(() => {
      for (const template of must(loadContractTemplates()).list()) {
        const parameters = Object.keys(template.parameters);
        console.log(`${template.name}${parameters.length > 0 ? ` (${parameters.join(', ')})` : ''}: ${template.description}`);
      }
    });
  policy
    .command('instantiate')
    .argument('<name>', 'template name')
    .description('print a contract template instantiated with --param name=value (lists: a,b)')
    .option('--param <name=value>', 'a template parameter (repeatable)', parseParam, {})
    .option('--uid <iri>', 'uid of the resulting policy')
    .action((name: string, options: { param: Record<string, unknown>; uid?: string }) => {
      const overrides = options.uid === undefined ? {} : { uid: options.uid };
      console.log(JSON.stringify(must(must(loadContractTemplates()).instantiate(name, options.param, overrides)), null, 2));
    });
}
