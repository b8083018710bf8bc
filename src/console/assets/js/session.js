/* global sessionStorage */
/**
 * The signed-in session: the bearer token, its role and the connector's identity summary, kept
 * in sessionStorage so a reload keeps the user signed in but closing the tab forgets the token
 * (it is never written anywhere else).
 */
const KEY = 'sovc.console.session';

/** @returns {{ token: string, role: 'admin' | 'researcher', identity: Record<string, unknown> } | undefined} */
export function loadSession() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
    if (typeof saved?.token === 'string' && (saved.role === 'admin' || saved.role === 'researcher')) return saved;
  } catch {
    // a damaged entry is the same as none
  }
  return undefined;
}

export function saveSession(session) {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

export function clearSession() {
  sessionStorage.removeItem(KEY);
}
