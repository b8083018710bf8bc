/**
 * Catalogue: find datasets across the federation and request them. The federated index is
 * searched when this connector's API offers it (its OpenAPI document lists the route); partners
 * can also be asked directly for their live catalogue.
 */
import { pageHeading, section } from '../layout.js';
import { directSearch } from './direct-search.js';
import { federatedSearch } from './federated-search.js';

const FEDERATED = '/api/catalog/federated/search';

export const cataloguePage = {
  path: 'catalogue',
  title: 'Catalogue',
  roles: ['admin', 'researcher'],
  async render(context) {
    const [document, known, templates] = await Promise.all([context.api.get('/openapi.json'), context.api.get('/negotiations', { limit: 100 }), context.api.get('/templates')]);
    const knownPartners = [...new Set(known.items.map((n) => n.counterpartyDid))];
    const direct = section('Ask partners directly', directSearch(context, knownPartners));
    if (document.paths?.[FEDERATED] === undefined) return [...pageHeading('Catalogue', "Find datasets in partners' catalogues and request them."), direct];
    const federated = federatedSearch(context, templates.items);
    await federated.ready;
    return [...pageHeading('Catalogue', 'Find datasets across the federation and request them.'), section('Search the federation', federated.nodes), direct];
  },
};
