/**
 * Sign in with a bearer token of this connector: the admin token (everything) or the
 * researcher token (search, request and download). The token is checked against the API
 * itself; its role is what the API lets it do.
 */
import { createApi, roleOf } from '../api.js';
import { h } from '../dom.js';
import { field, onSubmit } from '../forms.js';
import { pageHeading } from '../layout.js';
import { saveSession } from '../session.js';

export function signInPage({ onSignedIn }) {
  const form = h(
    'form',
    { class: 'card narrow', 'aria-label': 'Sign in' },
    field({
      label: 'Access token',
      name: 'token',
      type: 'password',
      autocomplete: 'current-password',
      required: true,
      minlength: '16',
      pattern: '[A-Za-z0-9\\-._~+\\/]+=*',
      hint: 'The admin or researcher token of this connector (sovc start prints where each is kept).',
    }),
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'),
  );
  onSubmit(form, async () => {
    const token = form.elements.namedItem('token').value.trim();
    const api = createApi(token);
    const role = await roleOf(api);
    const identity = await api.get('/identity');
    const session = { token, role, identity: { name: identity.name, did: identity.did, partner: identity.partner } };
    saveSession(session);
    onSignedIn(session);
  });
  return [...pageHeading('Sign in', 'Sign in to manage this connector or to find and request data from partners.'), form];
}
