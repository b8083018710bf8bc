/* global document, window, location */
/**
 * The console's entry point: restores the session (or shows sign-in), draws the navigation
 * the role may use, and renders the page named by the URL fragment (#/offerings,
 * #/negotiations/<id>, …). Each page gets an AbortSignal that ends its polling when the user
 * navigates away. A 401 from the API anywhere signs the user out.
 */
import { ApiError, createApi } from './api.js';
import { h, replace } from './dom.js';
import { errorBlock, notify } from './layout.js';
import { clearSession, loadSession } from './session.js';
import { signInPage } from './pages/signin.js';
import { pages } from './pages/index.js';

const main = /** @type {HTMLElement} */ (document.getElementById('main'));
let current = new AbortController();
let session = loadSession();

function allowedPages() {
  return pages.filter((page) => session !== undefined && page.roles.includes(session.role));
}

function drawChrome(identity) {
  const nav = document.getElementById('nav');
  const here = location.hash.split('/')[1] ?? '';
  replace(
    nav,
    h('ul', null, allowedPages().map((page) => h('li', null, h('a', { href: `#/${page.path}`, 'aria-current': page.path === here ? 'page' : null }, page.title)))),
  );
  nav.hidden = session === undefined;
  document.getElementById('session').hidden = session === undefined;
  replace(document.getElementById('session-role'), session?.role ?? '');
  replace(document.getElementById('connector-name'), identity?.name ? `· ${identity.name}` : '');
}

function signOut(message) {
  clearSession();
  session = undefined;
  location.hash = '#/sign-in';
  drawChrome();
  if (message) notify(message);
}

/** Repeats `task` every `ms` until the page is left; a failed round is retried on the next tick. */
function poller(signal) {
  return (task, ms = 1000) => {
    let timer;
    const round = async () => {
      if (signal.aborted) return;
      try {
        const again = await task();
        if (again === false) return;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return signOut('Your token is no longer accepted; please sign in again.');
      }
      if (!signal.aborted) timer = setTimeout(round, ms);
    };
    signal.addEventListener('abort', () => clearTimeout(timer));
    timer = setTimeout(round, ms);
  };
}

async function render() {
  current.abort();
  current = new AbortController();
  const { signal } = current;
  const [, path = '', ...rest] = location.hash.split('/');
  if (session === undefined) {
    drawChrome();
    document.title = 'Sign in · Connector console';
    replace(main, signInPage({ onSignedIn: (signedIn) => enter(signedIn) }));
    main.querySelector('h1')?.focus();
    return;
  }
  const allowed = allowedPages();
  const page = allowed.find((candidate) => candidate.path === path);
  if (page === undefined) {
    location.replace(`#/${allowed[0].path}`);
    return;
  }
  const api = createApi(session.token);
  drawChrome(session.identity);
  document.title = `${page.title} · Connector console`;
  const context = { api, role: session.role, identity: session.identity, params: rest.map(decodeURIComponent), signal, poll: poller(signal), navigate: (hash) => (location.hash = hash) };
  try {
    const content = await page.render(context);
    if (signal.aborted) return;
    replace(main, content);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return signOut('Your token is no longer accepted; please sign in again.');
    replace(main, h('h1', { tabindex: '-1' }, page.title), errorBlock(error));
  }
  main.querySelector('h1')?.focus();
}

function enter(signedIn) {
  session = signedIn;
  notify(`Signed in as ${signedIn.role}.`);
  const first = allowedPages()[0];
  if (location.hash === `#/${first.path}`) render();
  else location.hash = `#/${first.path}`;
}

function start() {
  document.getElementById('skip-link').addEventListener('click', (event) => {
    event.preventDefault();
    main.focus();
  });
  document.getElementById('sign-out').addEventListener('click', () => signOut('Signed out.'));
  window.addEventListener('hashchange', render);
  render();
}

start();
