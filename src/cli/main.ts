#!/usr/bin/env node
/**
 * `sovc`: the connector's command line. Each capability contributes its commands in
 * `src/cli/commands/<capability>.ts`; this file only builds the program and renders
 * failures as one readable line (no stack traces) with a non-zero exit code.
 */
import { Command } from 'commander';
import { DomainError } from '../errors/index.js';
import { registerCommands } from './commands/index.js';

export function buildProgram(): Command {
  const program = new Command('sovc')
    .description('Sovereign data-space connector: identity, policies, Dataspace Protocol, encrypted data plane')
    .showHelpAfterError()
    .configureHelp({ showGlobalOptions: true });
  registerCommands(program);
  return program;
}

async function main(): Promise<void> {
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (error) {
    if (error instanceof DomainError) {
      console.error(`sovc: ${error.failure.detail} (${error.failure.code})`);
    } else {
      console.error(`sovc: ${error instanceof Error ? error.message : String(error)}`);
    }
    process.exitCode = 1;
  }
}

await main();
