/**
 * The command registry: one line per capability. Each module exports `register(program)`.
 */
import type { Command } from 'commander';
import { register as registerKeys } from './keys.js';
import { register as registerDid } from './did.js';
import { register as registerCredential } from './credential.js';
import { register as registerAudit } from './audit.js';
import { register as registerPolicy } from './policy.js';
import { register as registerStart } from './start.js';
import { register as registerRegistrar } from './registrar.js';
import { register as registerCompliance } from './compliance.js';
import { register as registerDemo } from './demo.js';
import { register as registerOfferings } from './offerings.js';
import { register as registerCatalog } from './catalog.js';
import { register as registerNegotiations } from './negotiations.js';
import { register as registerAgreements } from './agreements.js';
import { register as registerTransfers } from './transfers.js';
import { register as registerDataset } from './dataset.js';
import { register as registerTransferPull } from './transfer-pull.js';
import { register as registerCatalogSearch } from './catalog-search.js';
import { register as registerRequest } from './request.js';

type Register = (program: Command) => void;

const capabilities: Register[] = [registerStart, registerKeys, registerAudit, registerPolicy, registerDid, registerCredential, registerRegistrar, registerCompliance, registerDemo,
  registerOfferings, registerCatalog, registerNegotiations, registerAgreements, registerTransfers, registerDataset, registerTransferPull,
  registerCatalogSearch, registerRequest];

export function registerCommands(program: Command): void {
  for (const register of capabilities) register(program);
}
