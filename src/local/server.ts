import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCaller, type Role } from '../app/authorization';
import { resolverSchemas } from '../app/resolverSchemas';
import { invokeResolver, type ResolverDeps } from '../app/resolvers';
import { declaredLength, MAX_BODY_BYTES, readBody } from './requestBody';

/** The header that chooses the acting account: the local runtime only, never in Forge (which vouches for the caller itself). */
export const ACCOUNT_HEADER = 'x-worktime-account';

/** The rule every account id in a payload follows (letters, digits, `:`, `_`, `-`; at most 128), applied to the header too. */
const accountIdRule = resolverSchemas['balance/person'].shape.accountId;

/** The HTTP status the local runtime answers for each error code (docs/resolvers.md lists the same table; a test compares them). */
export const HTTP_STATUS: Readonly<Record<string, number>> = {
  INVALID_INPUT: 400,
  INVALID_PERIOD: 400,
  INVALID_CONTRACT: 400,
  INVALID_ABSENCE: 400,
  INVALID_DATE: 400,
  INVALID_HOLIDAY: 400,
  HOLIDAY_UNKNOWN_COUNTRY: 400,
  HOLIDAY_UNKNOWN_REGION: 400,
  HOLIDAY_YEAR_OUT_OF_RANGE: 400,
  INVALID_SNAPSHOT: 400,
  PERIOD_NOT_ENDED: 400,
  PERIOD_NOT_STARTED: 400,
  CHANGED_SINCE_READ: 409,
  PERSON_ERASED: 410,
  NOT_LOCKED: 400,
  INVALID_LEDGER_ENTRY: 400,
  INVALID_POLICY: 400,
  PERIOD_TOO_LONG: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  UNKNOWN_RESOLVER: 404,
  CONTRACT_NOT_FOUND: 404,
  ABSENCE_NOT_FOUND: 404,
  HOLIDAY_NO_DATA: 404,
  HOLIDAY_CALENDAR_NOT_FOUND: 404,
  SNAPSHOT_NOT_FOUND: 404,
  PERSON_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONTRACT_OVERLAP: 409,
  ABSENCE_OVERLAP: 409,
  HOLIDAY_CALENDAR_MISMATCH: 409,
  INVALID_TRANSITION: 409,
  LOCK_IN_PROGRESS: 409,
  IMPORT_IN_PROGRESS: 409,
  PAYLOAD_TOO_LARGE: 413,
  MISDIRECTED_REQUEST: 421,
  HOLIDAY_SOURCE_RATE_LIMITED: 429,
  RATE_LIMITED: 429,
  SNAPSHOT_PART_MISSING: 500,
  SNAPSHOT_ALTERED: 500,
  INTERNAL: 500,
  HOLIDAY_PROVIDER_UNAVAILABLE: 503,
  PEOPLE_DIRECTORY_UNAVAILABLE: 503,
  HOLIDAY_SOURCE_UNAVAILABLE: 503,
  LEDGER_CONTENDED: 503,
  MUTEX_BUSY: 503,
  AUDIT_CONTENDED: 503,
  ROLES_UNAVAILABLE: 503,
};

/** The HTTP status the local runtime answers for an error code (400 for a code not listed: the request could not be served as sent). */
export function httpStatusOf(code: string): number {
  return HTTP_STATUS[code] ?? 400;
}

const ROLE_NAMES: Record<Role, string> = { 'jira-admin': 'Jira admin', 'hr-admin': 'HR admin', auditor: 'auditor', 'team-lead': 'team lead' };

export interface LocalPerson {
  readonly accountId: string;
  readonly displayName: string;
  readonly timeZone: string | null;
}

/** Where `npm start` (bin/build-ui.mjs) puts the local build of the UI: the Forge build plus the acting-as picker. */
export const LOCAL_UI_DIR = fileURLToPath(new URL('../../dist/ui-local/', import.meta.url));

/**
 * The page's Content-Security-Policy: its own scripts, styles and data, nothing from another
 * origin, no inline script, no frames, no forms posting elsewhere. Inline styles are allowed
 * because Atlaskit sets styles on elements and the design tokens' theme is a <style> it adds
 * (the Forge manifest allows the same with permissions.content.styles).
 */
export const UI_CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self'; font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const UI_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
};

/** A built asset's name: Vite writes them flat into assets/, so nothing else (no `..`, no sub-folder) is ever served. */
const ASSET_PATH = /^\/assets\/[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

export interface LocalServerOptions {
  readonly deps: ResolverDeps;
  /** The built UI to serve at / (default LOCAL_UI_DIR). */
  readonly uiDir?: string;
  readonly mode: string;
  readonly people: () => Promise<readonly LocalPerson[]>;
  readonly status: () => Record<string, unknown>;
  /** The address the server listens on when it is not localhost (WORKTIME_HOST): the Host header may name it too. */
  readonly exposedAddress?: string;
}

/** A value a person sent, as a message shows it: in JSON quotes, cut after 40 characters. */
function shown(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}… (${value.length} characters)` : value);
}

/** The names this server may be addressed by, with its port or none. */
const LOOPBACK_HOST = /^(?:localhost|127\.0\.0\.1|\[::1\])(?::(\d+))?$/i;

/** How `address` appears in a Host header: an IPv6 address in brackets. */
const inHostHeader = (address: string) => (address.includes(':') ? `[${address}]` : address);

/**
 * Why the request's Host header is refused, or null when it names this
 * computer, or the one other address the runtime was told to listen on
 * (`exposedAddress`, see readListenAddress in config.ts). A web page on
 * another site can make a browser resolve its own name to 127.0.0.1 (DNS
 * rebinding) and then read the answers as its own; the browser still sends
 * that site's name as Host, which is refused here.
 */
function hostProblem(req: IncomingMessage, exposedAddress: string | undefined): string | null {
  const host = req.headers.host;
  const port = req.socket.localPort;
  const m = host === undefined ? null : LOOPBACK_HOST.exec(host);
  if (m && (m[1] === undefined || Number(m[1]) === port)) return null;
  const named = exposedAddress === undefined ? null : inHostHeader(exposedAddress).toLowerCase();
  if (named !== null && host !== undefined && [named, `${named}:${port}`].includes(host.toLowerCase())) return null;
  const names = named === null ? 'localhost, 127.0.0.1 or [::1]' : `localhost, 127.0.0.1, [::1] or ${named}`;
  return (
    `the Host header must be ${names}, with this server's port (${port}) or none; got ${host === undefined ? 'no Host header' : shown(host)}. ` +
    `The local runtime answers only requests addressed to ${named === null ? 'this computer' : 'the addresses it listens on'}, so that a web page elsewhere cannot reach it through DNS rebinding: open http://${named ?? 'localhost'}:${port}/`
  );
}

/** The caller the header names: undefined when there is none (401), an error message when it is no account id (400). */
function callerFromHeader(req: IncomingMessage): { accountId: string | undefined } | { error: string } {
  const raw = req.headers[ACCOUNT_HEADER];
  if (raw === undefined || raw === '') return { accountId: undefined };
  if (typeof raw === 'string' && accountIdRule.safeParse(raw).success) return { accountId: raw };
  return {
    error: `the ${ACCOUNT_HEADER} header must be one Jira account id (letters, digits, ':', '_' and '-', at most 128 characters), such as 557058:demo-01; got ${shown(String(raw))}`,
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(text);
}

const tooLarge = { ok: false, error: { code: 'PAYLOAD_TOO_LARGE', message: `the payload is over ${MAX_BODY_BYTES} bytes (Forge's limit for a resolver call); send less` } };

/** Each person with their roles as the resolvers establish them ("employee" when they have none). */
async function withRoles(deps: ResolverDeps, people: readonly LocalPerson[]): Promise<(LocalPerson & { roles: string[] })[]> {
  return Promise.all(
    people.map(async (p) => {
      const caller = await loadCaller(deps, p.accountId);
      const roles = (Object.keys(ROLE_NAMES) as Role[]).filter((r) => caller.roles.has(r)).map((r) => ROLE_NAMES[r]);
      return { ...p, roles: roles.length > 0 ? roles : ['employee'] };
    }),
  );
}

/** What / answers before the UI is built: how to build it, and that the API works meanwhile. */
function notBuiltPage(port: number): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Worktime (local): interface not built</title></head>
<body><h1>The interface is not built</h1><p>Run <code>npm start</code> (it builds the interface when its sources changed) or <code>npm run build</code>, then reload.
Meanwhile the resolvers answer at <code>POST http://localhost:${port}/api/invoke/&lt;name&gt;</code> (docs/resolvers.md); <a href="/api/people">/api/people</a> lists the demo people.</p></body></html>`;
}

/** Serves the built UI: index.html at /, its assets under /assets/; false when the path is not the UI's. */
async function serveUi(req: IncomingMessage, res: ServerResponse, path: string, uiDir: string): Promise<boolean> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const security = { 'Content-Security-Policy': UI_CSP, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' };
  if (path === '/' || path === '/index.html') {
    const html = await readFile(join(uiDir, 'index.html')).catch(() => null);
    const body = html ?? Buffer.from(notBuiltPage(req.socket.localPort ?? 8080));
    res.writeHead(html ? 200 : 503, { ...security, 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': body.length, 'Cache-Control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  }
  if (path === '/favicon.ico') {
    res.writeHead(204, security).end();
    return true;
  }
  if (!ASSET_PATH.test(path)) return false;
  const type = UI_TYPES[extname(path)];
  if (!type) return false;
  const asset = await readEncoded(join(uiDir, path), req.headers['accept-encoding']);
  if (!asset) return false;
  // Asset names carry a hash of their content (Vite), so a name never changes meaning.
  res.writeHead(200, {
    ...security,
    'Content-Type': type,
    'Content-Length': asset.body.length,
    'Cache-Control': 'public, max-age=31536000, immutable',
    Vary: 'Accept-Encoding',
    ...(asset.encoding ? { 'Content-Encoding': asset.encoding } : {}),
  });
  res.end(req.method === 'HEAD' ? undefined : asset.body);
  return true;
}

/**
 * A built file in the best encoding the browser accepts: the brotli or gzip copy bin/build-ui.mjs
 * writes beside it (.br, .gz) when there is one, else the file as it is. Null when the file is missing.
 */
async function readEncoded(file: string, acceptEncoding: string | string[] | undefined): Promise<{ body: Buffer; encoding: 'br' | 'gzip' | null } | null> {
  const accepted = new Set(
    String(acceptEncoding ?? '')
      .split(',')
      .map((part) => part.split(';'))
      .filter(([, q]) => !q || !/^\s*q=0(\.0*)?\s*$/.test(q))
      .map(([name]) => name!.trim().toLowerCase()),
  );
  for (const [encoding, suffix] of [['br', '.br'], ['gzip', '.gz']] as const) {
    if (!accepted.has(encoding)) continue;
    const body = await readFile(file + suffix).catch(() => null);
    if (body) return { body, encoding };
  }
  const body = await readFile(file).catch(() => null);
  return body ? { body, encoding: null } : null;
}

/** The local HTTP server: the resolvers over HTTP, the people to act as, a status endpoint, and the built UI at /. */
export function createLocalServer(options: LocalServerOptions): Server {
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const misdirected = hostProblem(req, options.exposedAddress);
      if (misdirected) return json(res, httpStatusOf('MISDIRECTED_REQUEST'), { ok: false, error: { code: 'MISDIRECTED_REQUEST', message: misdirected } });
      // The path as asked, without the query: a URL parser would read `//api/…` as a host named api.
      const path = (req.url ?? '/').split('?')[0]!;
      if (await serveUi(req, res, path, options.uiDir ?? LOCAL_UI_DIR)) return;
      if (req.method === 'GET' && path === '/api/status') return json(res, 200, { mode: options.mode, ...options.status() });
      if (req.method === 'GET' && path === '/api/people') return json(res, 200, await withRoles(options.deps, await options.people()));
      const invoke = /^\/api\/invoke\/([a-z]+\/[a-z-]+)$/.exec(path);
      if (!invoke) return json(res, httpStatusOf('NOT_FOUND'), { ok: false, error: { code: 'NOT_FOUND', message: `nothing at ${req.method} ${path.length > 200 ? `${path.slice(0, 200)}…` : path}` } });
      if (req.method !== 'POST') return json(res, httpStatusOf('METHOD_NOT_ALLOWED'), { ok: false, error: { code: 'METHOD_NOT_ALLOWED', message: 'resolvers are called with POST' } });
      const body = await readBody(req);
      if (body.kind === 'too-large') {
        if (!body.drained) res.setHeader('Connection', 'close');
        return json(res, httpStatusOf('PAYLOAD_TOO_LARGE'), tooLarge);
      }
      let payload: unknown;
      try {
        payload = body.text.trim() === '' ? {} : JSON.parse(body.text);
      } catch {
        return json(res, 400, { ok: false, error: { code: 'INVALID_INPUT', message: 'the body is not valid JSON' } });
      }
      const caller = callerFromHeader(req);
      if ('error' in caller) return json(res, 400, { ok: false, error: { code: 'INVALID_INPUT', message: caller.error } });
      const result = await invokeResolver(options.deps, invoke[1]!, payload, caller.accountId);
      json(res, result.ok ? 200 : httpStatusOf(result.error.code), result);
    })().catch((e) => {
      if (!req.complete && (e as Error).message.startsWith('the client went away')) return;
      console.error('local server:', e);
      if (!res.headersSent) json(res, 500, { ok: false, error: { code: 'INTERNAL', message: 'something went wrong on our side' } });
    });
  };
  // A missing Host is answered by hostProblem, in JSON like every other refusal, not by Node's bare 400.
  const server = createServer({ requireHostHeader: false }, handle);
  // `Expect: 100-continue`: refuse a body declared too large, or sent to another host, before the client sends it.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    if (hostProblem(req, options.exposedAddress)) {
      res.setHeader('Connection', 'close');
      return handle(req, res);
    }
    const length = declaredLength(req);
    if (length !== null && length > MAX_BODY_BYTES) {
      res.setHeader('Connection', 'close');
      return json(res, httpStatusOf('PAYLOAD_TOO_LARGE'), tooLarge);
    }
    res.writeContinue();
    handle(req, res);
  });
  return server;
}
