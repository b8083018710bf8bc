/**
 * The transfers a background runner takes up again at start (consumer pulls, pushes, push
 * sinks): every record in the given states that `keep` selects, page by page. A listing that
 * fails throws: the connector must not start believing nothing was left to resume.
 */
import type { TransferProcess } from '../transfer/index.js';
import type { ConnectorDsp } from './dsp-commands.js';

export async function transfersIn(
  transfers: Pick<ConnectorDsp['transfers'], 'list'>,
  states: ReadonlyArray<NonNullable<TransferProcess['state']>>,
  keep: (transfer: TransferProcess) => boolean,
): Promise<TransferProcess[]> {
  const found: TransferProcess[] = [];
  for (const state of states) {
    let cursor: string | undefined;
    do {
      const page = await transfers.list({ state, limit: 500, ...(cursor === undefined ? {} : { cursor }) });
      if (!page.ok) throw new Error(`listing ${state} transfers failed: ${page.detail}`);
      found.push(...page.value.items.filter((transfer) => transfer.state === state && keep(transfer)));
      cursor = page.value.nextCursor;
    } while (cursor !== undefined);
  }
  return found;
}
