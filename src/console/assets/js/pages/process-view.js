/**
 * What negotiation and agreement pages share: state badges, the agreement with both
 * signatures, and a live region that re-draws a process whenever its version changes.
 */
import { badge, code, facts, h, replace, table, when } from '../dom.js';
import { policyList } from '../odrl.js';

const FINAL = new Set(['FINALIZED', 'TERMINATED', 'COMPLETED']);
const tones = { FINALIZED: 'good', COMPLETED: 'good', TERMINATED: 'bad', SUSPENDED: 'warn' };

export function isFinal(state) {
  return FINAL.has(state);
}

/** A state in words; a process whose first message awaits acknowledgement has none yet. */
export function stateBadge(state) {
  return badge(state ?? 'SENDING', tones[state] ?? 'neutral');
}

/** A signature's status: the API's fresh check when there is one, else how it came to be held. */
function signatureStatus(side, proof, role, check) {
  if (check) return check.verified ? badge('verified now', 'good') : badge(`invalid: ${(check.errors ?? []).join('; ') || 'no reason'}`, 'bad');
  if (!proof) return badge('not signed', 'warn');
  return side === role ? badge('signed by this connector', 'good') : badge('verified on receipt', 'good');
}

function signatureRow(side, proof, role, check) {
  const status = signatureStatus(side, proof, role, check);
  if (!proof) return [side, status, '—', '—', '—'];
  return [side, status, code(proof.verificationMethod ?? '—'), `${proof.algorithm ?? '?'} over ${proof.canonicalization ?? '?'}`, h('span', null, when(proof.created), h('br'), code(proof.signatureValue ?? JSON.stringify(proof)))];
}

/**
 * An agreement: its terms in words, its parties, and both signatures — with the result of
 * POST /api/agreements/:id/verify when `verification` is given.
 * @param {{ agreement: object, proofs: object, role: 'provider' | 'consumer', verification?: object }} held
 */
export function agreementView({ agreement, proofs, role, verification }) {
  return h(
    'div',
    { class: 'agreement' },
    facts([
      ['Agreement', code(agreement['@id'])],
      ['Dataset', code(agreement.target)],
      ['Provider (assigner)', code(valueOf(agreement.assigner))],
      ['Consumer (assignee)', code(valueOf(agreement.assignee))],
      ['Concluded', when(agreement.timestamp)],
    ]),
    h('h4', null, 'Terms'),
    policyList(agreement),
    table({
      caption: 'Signatures',
      columns: ['Party', 'Status', 'Key', 'Algorithm', 'Signed at and signature'],
      rows: ['provider', 'consumer'].map((side) => signatureRow(side, proofs?.[side], role, verification?.[side])),
    }),
  );
}

function valueOf(party) {
  return typeof party === 'object' && party !== null ? (party['@id'] ?? party.uid ?? JSON.stringify(party)) : String(party ?? '—');
}

/**
 * Polls `load` and re-draws `target` with `draw(record)` whenever the record's version (or
 * state) changes, until the record reaches a final state or the page is left.
 */
export function liveRecord({ poll, load, draw, target, interval = 1000 }) {
  let seen = '';
  const refresh = async () => {
    const record = await load();
    const mark = JSON.stringify([record.version, record.state, record.progress]);
    if (mark !== seen) {
      seen = mark;
      replace(target, draw(record));
    }
    return !isFinal(record.state);
  };
  return refresh().then((again) => {
    if (again) poll(refresh, interval);
  });
}
