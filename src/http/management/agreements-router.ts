/**
 * /api/agreements: the contract agreements this connector holds — those of FINALIZED
 * negotiations, as provider or consumer — listed, shown, and verified: both parties'
 * signatures over the agreement's canonical form are checked again (issue 6 "Agreements:
 * list, show, verify signatures"). Researchers see the agreements of their own negotiations.
 */
import { Router } from 'express';
import type { OdrlAgreement } from '../../dsp/index.js';
import { fail, ok, type Result } from '../../errors/index.js';
import type { ContractNegotiation } from '../../negotiation/index.js';
import { paramOf, queryOf, reply, validate } from './exchange.js';
import type { AgreementRecords, NegotiationCommands, ProcessOwners } from './ports.js';
import { maySee, visiblePage } from './process-owners.js';
import { agreementListQuerySchema } from './schemas.js';
import type { Response } from 'express';

export interface AgreementView {
  id: string;
  negotiationId: string;
  role: ContractNegotiation['role'];
  counterpartyDid: string;
  target: string;
  agreement: OdrlAgreement;
  proofs: ContractNegotiation['proofs'];
  concludedAt: string;
}

function viewOf(negotiation: ContractNegotiation & { agreement: OdrlAgreement }): AgreementView {
  const { agreement } = negotiation;
  return {
    id: agreement['@id'],
    negotiationId: negotiation.id,
    role: negotiation.role,
    counterpartyDid: negotiation.counterpartyDid,
    target: agreement.target,
    agreement,
    proofs: negotiation.proofs,
    concludedAt: negotiation.updatedAt,
  };
}

const concluded = (n: ContractNegotiation | undefined): n is ContractNegotiation & { agreement: OdrlAgreement } => n?.state === 'FINALIZED' && n.agreement !== undefined;

export interface AgreementsRouterOptions {
  negotiations: Pick<NegotiationCommands, 'list'>;
  agreements: AgreementRecords;
  owners: ProcessOwners;
}

export function agreementsRouter(options: AgreementsRouterOptions): Router {
  const { agreements, owners } = options;
  const router = Router();

  /** The finalized agreement `id`, if the caller may see it. */
  async function held(res: Response, id: string): Promise<Result<ContractNegotiation & { agreement: OdrlAgreement }>> {
    const negotiation = await agreements.findByAgreementId(id);
    if (concluded(negotiation) && (await maySee(owners, res, 'negotiation', negotiation.id))) return ok(negotiation);
    return fail('SOV_NOT_FOUND', `No finalized agreement ${id}`, { id });
  }

  router.get('/agreements', async (req, res) => {
    const query = validate(agreementListQuerySchema, queryOf(req), 'agreement list query');
    if (!query.ok) return reply(res, query);
    const page = await options.negotiations.list({ ...query.value, state: 'FINALIZED' });
    if (!page.ok) return reply(res, page);
    const visible = await visiblePage(owners, res, 'negotiation', page.value);
    reply(res, ok({ ...visible, items: visible.items.filter(concluded).map(viewOf) }));
  });

  router.get('/agreements/:id', async (req, res) => {
    const negotiation = await held(res, paramOf(req, 'id'));
    reply(res, negotiation.ok ? ok(viewOf(negotiation.value)) : negotiation);
  });

  router.post('/agreements/:id/verify', async (req, res) => {
    const negotiation = await held(res, paramOf(req, 'id'));
    if (!negotiation.ok) return reply(res, negotiation);
    const record = negotiation.value;
    const signers = { provider: record.role === 'provider' ? agreements.selfDid : record.counterpartyDid, consumer: record.role === 'consumer' ? agreements.selfDid : record.counterpartyDid };
    const check = async (party: 'provider' | 'consumer') => {
      const proof = record.proofs[party];
      const outcome = proof === undefined ? { verified: false, errors: [`no ${party} signature is stored`] } : await agreements.verify(record.agreement, proof, signers[party]);
      return { signer: signers[party], ...outcome };
    };
    const [provider, consumer] = [await check('provider'), await check('consumer')];
    reply(res, ok({ agreementId: record.agreement['@id'], verified: provider.verified && consumer.verified, provider, consumer }));
  });
  return router;
}
