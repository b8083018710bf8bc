/**
 * The data of a transfer we requested (admins, and researchers for their own transfers): the
 * connector pulls it by itself once the provider starts the transfer, and "Receive the data
 * now" retries that pull (POST /api/transfers/:id/receive — verified while stored, completed
 * with our signed receipt); then the received dataset downloads decrypted and verified as it
 * streams (GET /api/datasets/:id/content).
 */
import { code, h } from '../dom.js';
import { onSubmit } from '../forms.js';
import { notify, saveBlob } from '../layout.js';

function receiveForm(context, transfer) {
  const form = h('form', { class: 'inline-form', 'aria-label': 'Receive the data' }, h('button', { type: 'submit', class: 'primary' }, 'Receive the data now'));
  onSubmit(form, async () => {
    const dataset = await context.api.post(`/transfers/${encodeURIComponent(transfer.id)}/receive`, {});
    notify(`Received and verified: ${dataset.plaintextLength} bytes.`);
  });
  return form;
}

/** The dataset record this transfer left with us: the provider's transfer id names it. */
async function receivedDataset(api, transfer) {
  const { items } = await api.get('/datasets');
  return items.find((d) => d.origin === 'received' && d.receivedFrom?.transferId === transfer.providerPid);
}

function downloadForm(context, transfer) {
  const outcome = h('p', { 'aria-live': 'polite' });
  const form = h('form', { class: 'inline-form', 'aria-label': 'Download the data' }, h('button', { type: 'submit', class: 'primary' }, 'Download the data'), outcome);
  onSubmit(form, async () => {
    const dataset = await receivedDataset(context.api, transfer);
    if (dataset === undefined) {
      outcome.replaceChildren('This connector holds no dataset from this transfer.');
      return;
    }
    const { blob } = await context.api.download(`/datasets/${encodeURIComponent(dataset.id)}/content`);
    const name = `${dataset.offeringId.replace(/^.*[:/]/, '')}.data`;
    saveBlob(blob, name);
    outcome.replaceChildren(`Saved ${blob.size} bytes as ${name} (container digest `, code(dataset.containerDigest), ').');
  });
  return form;
}

/** The data actions a consumer has for `transfer` in its state, if any. */
export function transferDataActions(context, transfer) {
  if (transfer.role !== 'consumer') return null;
  if (transfer.state === 'STARTED') return receiveForm(context, transfer);
  if (transfer.state === 'COMPLETED') return downloadForm(context, transfer);
  return null;
}
