/**
 * Offerings (admin): this connector's offerings with their policy, classification and status;
 * registering one from a contract template; retiring one after a confirmation dialog (it leaves
 * the catalogue and accepts no further change).
 */
import { badge, code, h, replace, table, when } from '../dom.js';
import { onSubmit } from '../forms.js';
import { notify, pageHeading, section } from '../layout.js';
import { offeringForm } from './offering-form.js';

function policyOf(offering) {
  const source = offering.policy?.source ?? {};
  return 'template' in source ? source.template : 'inline ODRL';
}

function retireDialog(api, offering, onRetired) {
  const form = h(
    'form',
    { method: 'dialog' },
    h('h2', { id: 'retire-heading' }, `Retire “${offering.title}”?`),
    h('p', null, 'It leaves the catalogue at once and accepts no further change. Agreements already concluded stay as they are.'),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'danger' }, 'Retire offering'), h('button', { type: 'button', value: 'cancel', class: 'cancel' }, 'Cancel')),
  );
  const dialog = h('dialog', { 'aria-labelledby': 'retire-heading' }, form);
  form.querySelector('.cancel').addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => dialog.remove());
  onSubmit(form, async () => {
    await api.post(`/offerings/${encodeURIComponent(offering.id)}/retire`, { expectedVersion: offering.version });
    dialog.close();
    onRetired(offering);
  });
  return dialog;
}

function offeringRows(api, items, refresh) {
  return items.map((offering) => [
    h('span', null, h('strong', null, offering.title), h('br'), code(offering.id)),
    offering.classification,
    policyOf(offering),
    offering.personalData ? 'yes' : 'no',
    offering.formats.join(', '),
    offering.status === 'active' ? badge('active', 'good') : badge('retired', 'neutral'),
    String(offering.version),
    when(offering.updatedAt),
    offering.status === 'active'
      ? h('button', {
          type: 'button',
          'aria-label': `Retire ${offering.title}`,
          onclick: (event) => {
            const dialog = retireDialog(api, offering, (retired) => {
              notify(`Offering “${retired.title}” retired.`);
              refresh();
            });
            event.currentTarget.after(dialog);
            dialog.showModal();
          },
        }, 'Retire')
      : '',
  ]);
}

export const offeringsPage = {
  path: 'offerings',
  title: 'Offerings',
  roles: ['admin'],
  async render({ api }) {
    const { items: templates } = await api.get('/templates');
    const listing = h('div', { id: 'offerings-list' });
    const refresh = async () => {
      const page = await api.get('/offerings', { limit: 200 });
      replace(listing, table({
        caption: 'Offerings of this connector, newest first',
        columns: ['Offering', 'Classification', 'Policy', 'Personal data', 'Formats', 'Status', 'Version', 'Updated', 'Action'],
        rows: offeringRows(api, page.items, refresh),
        empty: 'No offering yet: register one below.',
      }));
    };
    await refresh();
    const form = offeringForm({
      api,
      templates,
      onCreated: (created) => {
        notify(`Offering “${created.title}” registered.`);
        refresh();
      },
    });
    return [...pageHeading('Offerings', 'Datasets this connector offers to partners, each under a contract template.'), section('Current offerings', listing), form];
  },
};
