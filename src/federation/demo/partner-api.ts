/**
 * The demo's HTTP client of one partner's management API (`/api`), as an admin at a terminal
 * uses it: bearer admin token, JSON in and out, a problem+json answer kept as a refusal with
 * its code and detail (never thrown: refusals are outcomes the demo prints).
 */
export interface DemoPartner {
  code: string;
  /** The connector's base URL (its publicBaseUrl). */
  url: string;
  adminToken: string;
}

export type ApiAnswer<T> = { ok: true; value: T } | { ok: false; status: number; code: string; detail: string };

export interface PartnerApi {
  readonly partner: DemoPartner;
  get<T>(path: string): Promise<ApiAnswer<T>>;
  post<T>(path: string, body?: unknown): Promise<ApiAnswer<T>>;
  /** A binary body, e.g. a dataset's content. */
  download(path: string): Promise<ApiAnswer<Uint8Array>>;
}

interface ProblemLike {
  code?: unknown;
  detail?: unknown;
}

async function refusal(response: Response): Promise<{ ok: false; status: number; code: string; detail: string }> {
  const problem = (await response.json().catch(() => ({}))) as ProblemLike;
  return {
    ok: false,
    status: response.status,
    code: typeof problem.code === 'string' ? problem.code : `HTTP_${response.status}`,
    detail: typeof problem.detail === 'string' ? problem.detail : `HTTP ${response.status}`,
  };
}

export function partnerApi(partner: DemoPartner): PartnerApi {
  const root = `${partner.url.replace(/\/+$/, '')}/api`;
  const call = async (method: string, path: string, body?: unknown): Promise<Response> =>
    fetch(`${root}${path}`, {
      method,
      headers: { authorization: `Bearer ${partner.adminToken}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const json = async <T>(response: Response): Promise<ApiAnswer<T>> => (response.ok ? { ok: true, value: (await response.json()) as T } : refusal(response));
  return {
    partner,
    get: async (path) => json(await call('GET', path)),
    post: async (path, body) => json(await call('POST', path, body)),
    async download(path) {
      const response = await call('GET', path);
      return response.ok ? { ok: true, value: new Uint8Array(await response.arrayBuffer()) } : refusal(response);
    },
  };
}

/** Path segment for an id (URNs contain colons). */
export const seg = (id: string): string => encodeURIComponent(id);
