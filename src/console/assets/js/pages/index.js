/**
 * The console's pages in navigation order, each with the roles that may open it. Researchers
 * get search, requests and their transfers (downloads); everything else is for admins — the
 * API enforces the same split, this only keeps the navigation honest.
 */
import { overviewPage } from './overview.js';
import { offeringsPage } from './offerings.js';

export const pages = [overviewPage, offeringsPage];
