/**
 * How the Jira client reaches Jira. In Forge: `asApp().requestJira(route…)`;
 * locally: `fetch` with an API token. The client never builds absolute URLs
 * itself, so the same code runs behind both.
 */
export interface JiraResponse {
  readonly status: number;
  header(name: string): string | null;
  json(): Promise<unknown>;
  text(): Promise<string>;
}

export interface JiraTransport {
  /** `path` starts with `/rest/api/3/…` and carries its own encoded query string. */
  request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<JiraResponse>;
}

/** A transport over `fetch` with Basic auth (email + API token), for the local runtime and tests. */
export function fetchTransport(baseUrl: string, auth: { email: string; apiToken: string } | null, fetchImpl: typeof fetch = fetch): JiraTransport {
  const root = baseUrl.replace(/\/+$/, '');
  const authorization = auth ? `Basic ${Buffer.from(`${auth.email}:${auth.apiToken}`).toString('base64')}` : null;
  return {
    async request(method, path, body) {
      const headers: Record<string, string> = { Accept: 'application/json' };
      if (authorization) headers.Authorization = authorization;
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      const res = await fetchImpl(root + path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      return { status: res.status, header: (name) => res.headers.get(name), json: () => res.json(), text: () => res.text() };
    },
  };
}
