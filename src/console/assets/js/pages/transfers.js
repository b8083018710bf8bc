/**
 * Transfers: the transfer processes this token may see, with live state and progress through
 * the DSP steps (requested → started → completed), one transfer in full — the provider's
 * admission decision, a suspension or termination with its reasons — and the admin's steering
 * (suspend, resume, terminate). A transfer is started from an agreement we hold as consumer.
 */
import { code, facts, h, replace, table, when } from '../dom.js';
import { field, onSubmit } from '../forms.js';
import { decisionReport, terminationView } from '../decision.js';
import { notify, pageHeading, section, slot } from '../layout.js';
import { isFinal, liveRecord, stateBadge } from './process-view.js';
import { transferDataActions } from './transfer-data.js';

const STEPS = ['REQUESTED', 'STARTED', 'COMPLETED'];

/** How far along the DSP transfer process is, as steps and a <progress> bar. */
export function transferProgress(transfer) {
  const reached = transfer.state === 'SUSPENDED' ? 1 : STEPS.indexOf(transfer.state ?? '');
  const done = transfer.state === 'COMPLETED' ? STEPS.length : reached + 1;
  return h(
    'div',
    { class: 'progress' },
    h('progress', { max: String(STEPS.length), value: String(Math.max(done, 0)), 'aria-label': `Transfer progress: ${transfer.state ?? 'SENDING'}` }),
    h('ol', { class: 'steps' }, STEPS.map((step, index) => h('li', { 'aria-current': index === reached ? 'step' : null, class: index < done ? 'done' : '' }, step.toLowerCase()))),
  );
}

/** "Start transfer" for an agreement we hold as consumer; opens the new transfer. */
export function transferAction(context, agreementId) {
  const form = h(
    'form',
    { class: 'inline-form', 'aria-label': `Start a transfer under ${agreementId}` },
    field({ label: 'Format', name: 'format', value: 'HttpData-PULL', required: true, maxlength: '100', hint: 'A distribution format of the dataset' }),
    h('button', { type: 'submit', class: 'primary' }, 'Start transfer'),
  );
  onSubmit(form, async () => {
    const transfer = await context.api.post('/transfers', { agreementId, format: form.elements.namedItem('format').value.trim() });
    notify('Transfer requested.');
    context.navigate(`#/transfers/${encodeURIComponent(transfer.id)}`);
  });
  return form;
}

function link(transfer) {
  return h('a', { href: `#/transfers/${encodeURIComponent(transfer.id)}` }, code(transfer.id));
}

async function listPage({ api, poll }) {
  const target = h('div', { id: 'transfer-list' });
  const summary = h('p', { 'aria-live': 'polite', class: 'muted' });
  let seen = '';
  const refresh = async () => {
    const page = await api.get('/transfers', { limit: 100 });
    const mark = JSON.stringify(page.items.map((t) => [t.id, t.version]));
    if (mark === seen) return;
    seen = mark;
    replace(target, table({
      caption: 'Transfer processes, newest first',
      columns: ['Transfer', 'Our role', 'Counterparty', 'Dataset', 'Format', 'State', 'Updated'],
      rows: page.items.map((t) => [link(t), t.role, code(t.counterpartyDid), code(t.datasetId), t.format, stateBadge(t.state), when(t.updatedAt)]),
      empty: 'No transfer yet: start one from an agreement.',
    }));
    replace(summary, `${page.items.length} shown · ${page.items.filter((t) => !isFinal(t.state)).length} in progress`);
  };
  await refresh();
  poll(refresh, 1500);
  return [...pageHeading('Transfers', 'Datasets moving under agreements; states update live.'), summary, target];
}

function steerForm(api, transfer) {
  const id = encodeURIComponent(transfer.id);
  const form = h(
    'form',
    { class: 'inline-form', 'aria-label': 'Steer this transfer' },
    field({ label: 'Reason sent to the counterparty', name: 'reason', maxlength: '1000' }),
    transfer.state === 'SUSPENDED' ? h('button', { type: 'submit', value: 'resume' }, 'Resume') : h('button', { type: 'submit', value: 'suspend' }, 'Suspend'),
    h('button', { type: 'submit', value: 'terminate', class: 'danger' }, 'Terminate'),
  );
  let action = 'suspend';
  for (const button of form.querySelectorAll('button')) button.addEventListener('click', () => (action = button.value));
  onSubmit(form, async () => {
    const reason = form.elements.namedItem('reason').value.trim();
    await api.post(`/transfers/${id}/${action}`, action === 'resume' || !reason ? {} : { reason });
    notify(`Transfer ${action} sent.`);
  });
  return form;
}

function detailView(context, t) {
  return [
    facts([
      ['State', h('span', { id: 'transfer-state' }, stateBadge(t.state))],
      ['Progress', transferProgress(t)],
      ['Our role', t.role],
      ['Counterparty', code(t.counterpartyDid)],
      ['Dataset', code(t.datasetId)],
      ['Agreement', code(t.agreementId)],
      ['Format', t.format],
      ['Started', when(t.createdAt)],
      ['Updated', when(t.updatedAt)],
    ]),
    t.suspension && t.state === 'SUSPENDED' ? terminationView(t.suspension, t.role, 'Suspended') : null,
    t.termination ? terminationView(t.termination, t.role) : null,
    t.decision ? decisionReport({ stage: 'transfer', ...t.decision }) : null,
    transferDataActions(context, t),
    context.role === 'admin' && !isFinal(t.state) ? steerForm(context.api, t) : null,
  ];
}

async function detailPage(context) {
  const id = context.params[0];
  const target = slot({ id: 'transfer-detail' });
  const status = h('p', { class: 'muted', 'aria-live': 'polite' });
  await liveRecord({
    poll: context.poll,
    load: () => context.api.get(`/transfers/${encodeURIComponent(id)}`),
    target,
    draw: (t) => {
      replace(status, `State: ${t.state ?? 'SENDING'}`);
      return detailView(context, t);
    },
  });
  return [...pageHeading('Transfer'), h('p', null, h('a', { href: '#/transfers' }, '← All transfers')), code(id), status, section('Details', target)];
}

export const transfersPage = {
  path: 'transfers',
  title: 'Transfers',
  roles: ['admin', 'researcher'],
  render: (context) => (context.params[0] ? detailPage(context) : listPage(context)),
};
