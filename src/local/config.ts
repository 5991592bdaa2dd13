import { isIP } from 'node:net';

/** What the local runtime was asked to do, read once from the environment and checked. */
export type LocalConfig =
  | { readonly mode: 'demo'; readonly port: number; readonly dataDir: string; readonly trickleMs: number }
  | {
      readonly mode: 'jira';
      readonly port: number;
      readonly dataDir: string;
      readonly jira: { readonly baseUrl: string; readonly email: string; readonly apiToken: string };
      readonly admins: readonly string[];
    };

/** A setting that is wrong: the message says which one, what was given and what to do. */
export class ConfigError extends Error {}

export const DEFAULT_PORT = 8080;
/** Faster than this, the demo's changes would crowd out everything else the runtime does. */
const MIN_TRICKLE_MS = 100;
/** The longest delay a Node timer takes (2^31 − 1 ms); a longer one fires after 1 ms instead. */
const MAX_TIMER_MS = 2_147_483_647;

/** Reads the configuration from `env`, or throws ConfigError with a message meant for a person. */
export function readConfig(env: NodeJS.ProcessEnv): LocalConfig {
  const rawPort = env.PORT ?? String(DEFAULT_PORT);
  const port = Number(rawPort);
  if (!/^\d+$/.test(rawPort) || port > 65_535) throw new ConfigError(`PORT must be a port number from 0 (any free port) to 65535; got ${JSON.stringify(rawPort)}`);
  const dataDir = env.WORKTIME_DATA_DIR || '.data';
  const jiraVars = { JIRA_BASE_URL: env.JIRA_BASE_URL, JIRA_EMAIL: env.JIRA_EMAIL, JIRA_API_TOKEN: env.JIRA_API_TOKEN };
  const given = Object.entries(jiraVars).filter(([, v]) => v !== undefined && v !== '');
  if (given.length === 0) {
    const rawTrickle = env.WORKTIME_DEMO_TRICKLE_MS ?? '5000';
    const trickleMs = Number(rawTrickle);
    if (!/^\d+$/.test(rawTrickle) || trickleMs < MIN_TRICKLE_MS || trickleMs > MAX_TIMER_MS) {
      throw new ConfigError(`WORKTIME_DEMO_TRICKLE_MS must be a whole number of milliseconds from ${MIN_TRICKLE_MS} to ${MAX_TIMER_MS} (about 24.8 days); got ${JSON.stringify(rawTrickle)}`);
    }
    return { mode: 'demo', port, dataDir, trickleMs };
  }
  if (given.length < 3) {
    const missing = Object.keys(jiraVars).filter((k) => !given.some(([g]) => g === k));
    throw new ConfigError(`to read a Jira site, set all of JIRA_BASE_URL, JIRA_EMAIL and JIRA_API_TOKEN; missing: ${missing.join(', ')}. Unset all three to run the demo instead.`);
  }
  let url: URL;
  try {
    url = new URL(jiraVars.JIRA_BASE_URL!);
  } catch {
    throw new ConfigError(`JIRA_BASE_URL must be your site's address, such as https://your-site.atlassian.net; got ${JSON.stringify(jiraVars.JIRA_BASE_URL)}`);
  }
  const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new ConfigError(`JIRA_BASE_URL must use https (the API token must not travel in clear); got ${JSON.stringify(jiraVars.JIRA_BASE_URL)}`);
  }
  if (!/^[^@\s]+@[^@\s]+$/.test(jiraVars.JIRA_EMAIL!)) throw new ConfigError(`JIRA_EMAIL must be the e-mail address of the account the API token belongs to; got ${JSON.stringify(jiraVars.JIRA_EMAIL)}`);
  const admins = (env.WORKTIME_ADMINS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return { mode: 'jira', port, dataDir, jira: { baseUrl: url.origin, email: jiraVars.JIRA_EMAIL!, apiToken: jiraVars.JIRA_API_TOKEN! }, admins };
}

/** Where the local runtime listens, and the name other than localhost that requests may address it by. */
export interface ListenAddress {
  /** The address the server binds to: 127.0.0.1 unless WORKTIME_HOST says otherwise. */
  readonly host: string;
  /** Whether the address reaches beyond this computer (WORKTIME_EXPOSE_TO_NETWORK was given for it). */
  readonly exposed: boolean;
}

/** The value WORKTIME_EXPOSE_TO_NETWORK must have: a person has to type that they know what it means. */
export const EXPOSE_CONSENT = 'anyone-who-reaches-it-can-act-as-anyone';

const isLoopback = (host: string) => host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);

/**
 * Reads where to listen from `env`. The local runtime has no sign-in: the x-worktime-account header
 * chooses who is calling. So it listens on this computer only (loopback) unless the person who starts
 * it names another address and says, in WORKTIME_EXPOSE_TO_NETWORK, that they accept what that exposes.
 */
export function readListenAddress(env: NodeJS.ProcessEnv): ListenAddress {
  const host = env.WORKTIME_HOST || '127.0.0.1';
  if (isLoopback(host)) return { host, exposed: false };
  if (isIP(host) === 0) {
    throw new ConfigError(`WORKTIME_HOST must be an IP address of this computer (such as 127.0.0.1, the default); got ${JSON.stringify(host)}`);
  }
  if (host === '0.0.0.0' || host === '::') {
    throw new ConfigError(`WORKTIME_HOST=${host} would listen on every network this computer is on; give the one address people will use (such as 192.168.1.20), or leave it unset to stay on this computer`);
  }
  if (env.WORKTIME_EXPOSE_TO_NETWORK !== EXPOSE_CONSENT) {
    throw new ConfigError(
      `WORKTIME_HOST=${host} would let other computers reach the local runtime, which has no sign-in: whoever reaches ${host} could call every resolver ` +
        `as any account (the x-worktime-account header chooses who is calling), read every report, balance and audit entry, and change contracts, absences, ` +
        `roles and locked periods in the data directory (the demo data, or what was read from your Jira site). ` +
        `If that is what you want, also set WORKTIME_EXPOSE_TO_NETWORK=${EXPOSE_CONSENT}; otherwise unset WORKTIME_HOST to stay on 127.0.0.1.`,
    );
  }
  return { host, exposed: true };
}
