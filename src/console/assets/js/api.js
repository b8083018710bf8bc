/* global location */
/**
 * The console's only way to the connector: the management API under /api with the bearer
 * token the user signed in with. A refusal arrives as RFC 9457 problem+json and is thrown as an
 * ApiError carrying its title, detail and the per-field `issues` the API's validation names.
 */

export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {{ title?: string, detail?: string, code?: string, issues?: Array<{ path: string, message: string }> }} problem
   */
  constructor(status, problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.title = problem.title ?? `HTTP ${status}`;
    this.detail = problem.detail ?? '';
    this.code = problem.code ?? '';
    this.issues = Array.isArray(problem.issues) ? problem.issues.filter((issue) => typeof issue?.path === 'string') : [];
  }
}

function urlOf(path, query) {
  const url = new URL(`/api${path}`, location.origin);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(key, String(value));
  }
  return url;
}

async function problemOf(response) {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      return await response.json();
    } catch {
      // fall through to the status line
    }
  }
  return { title: response.statusText || `HTTP ${response.status}`, detail: `The connector answered ${response.status} without details.` };
}

/**
 * @param {string} token the bearer token
 */
export function createApi(token) {
  async function send(method, path, { query, body, accept = 'application/json' } = {}) {
    const headers = { Authorization: `Bearer ${token}`, Accept: `${accept}, application/problem+json` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response;
    try {
      response = await fetch(urlOf(path, query), { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
    } catch {
      throw new ApiError(0, { title: 'Connector unreachable', detail: 'The connector did not answer; check that it is running.' });
    }
    if (!response.ok) throw new ApiError(response.status, await problemOf(response));
    return response;
  }
  return {
    /** GET a JSON resource. */
    async get(path, query) {
      return (await send('GET', path, { query })).json();
    },
    /** POST a JSON body (or none) and read the JSON answer. */
    async post(path, body) {
      return (await send('POST', path, { body })).json();
    },
    async patch(path, body) {
      return (await send('PATCH', path, { body })).json();
    },
    /** GET as a file: the body as a Blob and the name the server suggests. */
    async download(path, query, accept = '*/*') {
      const response = await send('GET', path, { query, accept });
      const disposition = response.headers.get('content-disposition') ?? '';
      const name = /filename="?([^";]+)"?/i.exec(disposition)?.[1];
      return { blob: await response.blob(), name };
    },
  };
}

/** Who the token belongs to: admin-only reads answer 403 to a researcher. */
export async function roleOf(api) {
  try {
    await api.get('/audit', { limit: 1 });
    return 'admin';
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) return 'researcher';
    throw error;
  }
}
