import type { JiraTransport } from '../sources/jiraTransport';
import { ConfigError } from './config';

/** Who the API token belongs to, as Jira says. */
export interface JiraIdentity {
  readonly accountId: string;
  readonly displayName: string;
}

/**
 * One call at start-up (GET /rest/api/3/myself, through the transport the
 * runtime then uses) so that wrong credentials or a host that cannot be
 * reached stop the start with one clear line, instead of a runtime that
 * retries for ever and answers every report with an error.
 */
export async function probeJira(transport: JiraTransport, baseUrl: string): Promise<JiraIdentity> {
  let status: number;
  let body: unknown;
  try {
    const res = await transport.request('GET', '/rest/api/3/myself');
    status = res.status;
    body = status >= 200 && status < 300 ? await res.json().catch(() => undefined) : undefined;
  } catch (e) {
    throw new ConfigError(`cannot reach Jira at ${baseUrl} (${networkReason(e)}); check JIRA_BASE_URL and that this machine can reach the site`);
  }
  if (status === 401) throw new ConfigError(`Jira at ${baseUrl} refused the credentials (HTTP 401); check JIRA_EMAIL and JIRA_API_TOKEN (an API token of that account, not its password)`);
  if (status === 403) throw new ConfigError(`Jira at ${baseUrl} accepted the credentials but refused this account (HTTP 403); check that JIRA_EMAIL's account may use the site`);
  if (status < 200 || status >= 300) throw new ConfigError(`Jira at ${baseUrl} answered HTTP ${status} to GET /rest/api/3/myself; check JIRA_BASE_URL (your site's address, such as https://your-site.atlassian.net)`);
  const me = body as Partial<JiraIdentity> | undefined;
  if (typeof me?.accountId !== 'string') throw new ConfigError(`${baseUrl} did not answer GET /rest/api/3/myself as Jira Cloud does; check JIRA_BASE_URL (your site's address, such as https://your-site.atlassian.net)`);
  return { accountId: me.accountId, displayName: typeof me.displayName === 'string' ? me.displayName : me.accountId };
}

/** The most telling part of a network failure: fetch wraps the system error (ECONNREFUSED, ENOTFOUND…) in `cause`. */
function networkReason(e: unknown): string {
  const error = e as Error & { cause?: { code?: string; message?: string } };
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'no answer in time';
  return error.cause?.code ?? error.cause?.message ?? error.message;
}
