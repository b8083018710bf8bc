/**
 * The console's pages in navigation order, each with the roles that may open it. Researchers
 * get search, their requests, their agreements and their transfers; everything else is for admins — the API
 * enforces the same split, this only keeps the navigation honest.
 */
import { agreementsPage } from './agreements.js';
import { auditPage } from './audit.js';
import { cataloguePage } from './catalogue.js';
import { negotiationsPage } from './negotiations.js';
import { offeringsPage } from './offerings.js';
import { overviewPage } from './overview.js';
import { transfersPage } from './transfers.js';

export const pages = [overviewPage, offeringsPage, cataloguePage, negotiationsPage, agreementsPage, transfersPage, auditPage];
