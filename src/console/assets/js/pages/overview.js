/**
 * Overview (admin): who this connector is (DID, keys), whether it holds a current membership
 * credential, which registrars its trust list accepts, and how its peers are doing. A peer's
 * health is a live catalogue request through the API (POST /api/catalog/fetch): it shows the
 * peer answers DSP, accepts our membership, and how long that took.
 */
import { ApiError } from '../api.js';
import { badge, code, facts, h, replace, table, when } from '../dom.js';
import { field, onSubmit } from '../forms.js';
import { pageHeading, section } from '../layout.js';

const membershipTone = { member: 'good', expired: 'bad', none: 'warn' };

function identitySection(identity) {
  return section(
    'Identity',
    facts([
      ['Name', identity.name],
      ['Partner', `${identity.partner} (${identity.jurisdiction})`],
      ['DID', code(identity.did)],
      ['Public address', code(identity.publicBaseUrl)],
    ]),
    table({
      caption: 'Public keys',
      columns: ['Key', 'Purpose', 'Algorithm', 'Status', 'Created'],
      rows: identity.keys.map((key) => [code(key.keyId), key.kind === 'signing' ? 'signatures' : 'key agreement', key.algorithm, key.status, when(key.createdAt)]),
    }),
  );
}

function membershipSection(membership) {
  return section(
    'Membership',
    h('p', { id: 'membership-status' }, 'Status: ', badge(membership.status, membershipTone[membership.status] ?? 'neutral')),
    table({
      caption: 'Membership credentials held',
      columns: ['Issuer', 'Valid from', 'Valid until', 'Current'],
      rows: membership.credentials.map((c) => [code(c.issuer), when(c.validFrom), when(c.validUntil), c.current ? badge('yes', 'good') : badge('no', 'bad')]),
      empty: 'No membership credential is held: partners will refuse this connector until its registrar accredits it.',
    }),
  );
}

function trustSection(trustList) {
  return section(
    'Trust list',
    table({
      caption: 'Registrars this connector accepts',
      columns: ['Registrar', 'Label', 'Credential types', 'Pinned keys'],
      rows: trustList.map((entry) => [code(entry.did), entry.label, entry.credentialTypes.join(', '), String(entry.keys.length)]),
      empty: 'The trust list is empty: no partner can be verified.',
    }),
  );
}

/** One health check: reachable, membership accepted, datasets visible, round-trip time. */
async function checkPeer(api, partner) {
  const started = performance.now();
  try {
    const page = await api.post('/catalog/fetch', partner);
    const ms = Math.round(performance.now() - started);
    const datasets = (page.catalog.dataset ?? []).length;
    return [badge('healthy', 'good'), `${datasets} dataset${datasets === 1 ? '' : 's'} visible to us · ${ms} ms`];
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return [badge('unhealthy', 'bad'), error.detail || error.title];
  }
}

function peerRow(api, did) {
  const status = h('td', null, badge('checking…'));
  const detail = h('td', null, '');
  const run = async () => {
    replace(status, badge('checking…'));
    const [state, text] = await checkPeer(api, { did });
    replace(status, state);
    replace(detail, text);
  };
  run();
  return h('tr', null, h('td', null, code(did)), status, detail, h('td', null, h('button', { type: 'button', onclick: run, 'aria-label': `Check ${did} again` }, 'Check again')));
}

async function peersSection(api) {
  const page = await api.get('/negotiations', { limit: 200 });
  const peers = [...new Set(page.items.map((n) => n.counterpartyDid))];
  const body = h('tbody', null, peers.map((did) => peerRow(api, did)));
  const result = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'inline-form', 'aria-label': 'Check a partner' },
    field({ label: 'Partner DID or DSP URL', name: 'partner', required: true, placeholder: 'did:web:127.0.0.1%3A7201', path: 'did' }),
    h('button', { type: 'submit' }, 'Check'),
  );
  onSubmit(form, async () => {
    const value = form.elements.namedItem('partner').value.trim();
    const partner = value.startsWith('did:') ? { did: value } : { url: value };
    const [state, text] = await checkPeer(api, partner);
    replace(result, h('p', null, state, ' ', text));
  });
  return section(
    'Peers',
    peers.length === 0
      ? h('p', { class: 'empty' }, 'No partner has negotiated with this connector yet.')
      : h('div', { class: 'table-wrap' }, h('table', null, h('caption', null, 'Partners this connector has negotiated with'), h('thead', null, h('tr', null, ['Partner', 'Health', 'Detail', 'Action'].map((c) => h('th', { scope: 'col' }, c)))), body)),
    form,
    result,
  );
}

export const overviewPage = {
  path: 'overview',
  title: 'Overview',
  roles: ['admin'],
  async render({ api }) {
    const identity = await api.get('/identity');
    return [
      ...pageHeading('Overview', 'This connector, its membership of the federation and its partners.'),
      identitySection(identity),
      membershipSection(identity.membership),
      trustSection(identity.trustList),
      await peersSection(api),
    ];
  },
};
