import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { invokeResolver, type ResolverDeps } from '../app/resolvers.ts';

/** Forge's limit on an invoke payload; the local server keeps it. */
const MAX_BODY_BYTES = 500 * 1024;

/** The header that chooses the acting account: the local runtime only, never in Forge (which vouches for the caller itself). */
export const ACCOUNT_HEADER = 'x-worktime-account';

const STATUS: Record<string, number> = { INVALID_INPUT: 400, INVALID_PERIOD: 400, PERIOD_TOO_LONG: 400, UNAUTHENTICATED: 401, FORBIDDEN: 403, UNKNOWN_RESOLVER: 404, IMPORT_IN_PROGRESS: 409, RATE_LIMITED: 429, INTERNAL: 500 };

export interface LocalServerOptions {
  readonly deps: ResolverDeps;
  readonly mode: string;
  readonly people: () => Promise<readonly { accountId: string; displayName: string; timeZone: string | null }[]>;
  readonly status: () => Record<string, unknown>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('TOO_LARGE'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(JSON.stringify(body));
}

function indexPage(mode: string, people: readonly { accountId: string; displayName: string; timeZone: string | null }[]): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const rows = people.map((p) => `<tr><td>${esc(p.displayName)}</td><td><code>${esc(p.accountId)}</code></td><td>${esc(p.timeZone ?? '(none: site zone)')}</td></tr>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Worktime engine (local)</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:920px;margin:2rem auto;padding:0 1rem;color:#172b4d}code,pre{background:#f4f5f7;padding:.1rem .3rem;border-radius:3px}pre{padding:.8rem;overflow:auto}table{border-collapse:collapse}td,th{border-bottom:1px solid #dfe1e6;padding:.25rem .6rem;text-align:left}</style></head>
<body><h1>Worktime engine — local runtime</h1>
<p>Mode: <strong>${esc(mode)}</strong>. The same resolvers as the Forge app answer at <code>POST /api/invoke/&lt;name&gt;</code>. The graphical interface arrives in a later release; until then, call the resolvers directly:</p>
<pre>curl -s -X POST localhost:PORT/api/invoke/report/mine \\
  -H 'Content-Type: application/json' -H '${ACCOUNT_HEADER}: ${esc(people[0]?.accountId ?? '557058:demo-01')}' \\
  -d '{"period":{"periodKey":"2026-11"}}'</pre>
<p>The <code>${ACCOUNT_HEADER}</code> header chooses who is calling. It exists <strong>only in the local runtime</strong>; in Forge the platform says who the caller is. Resolvers: <code>report/mine</code>, <code>balance/mine</code>, <code>report/person</code>, <code>balance/person</code>, <code>sync/progress</code>, <code>sync/start-import</code>. Status: <a href="/api/status">/api/status</a>.</p>
<h2>People</h2><table><tr><th>Name</th><th>Account id</th><th>Time zone</th></tr>${rows}</table></body></html>`;
}

/** The local HTTP server: the resolvers over HTTP, a status endpoint and an index page. */
export function createLocalServer(options: LocalServerOptions): Server {
  return createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (req.method === 'GET' && url.pathname === '/') {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'" });
        res.end(indexPage(options.mode, await options.people()));
        return;
      }
      if (req.method === 'GET' && url.pathname === '/api/status') return json(res, 200, { mode: options.mode, ...options.status() });
      if (req.method === 'GET' && url.pathname === '/api/people') return json(res, 200, await options.people());
      const invoke = /^\/api\/invoke\/([a-z]+\/[a-z-]+)$/.exec(url.pathname);
      if (!invoke) return json(res, 404, { ok: false, error: { code: 'NOT_FOUND', message: `nothing at ${req.method} ${url.pathname}` } });
      if (req.method !== 'POST') return json(res, 405, { ok: false, error: { code: 'METHOD_NOT_ALLOWED', message: 'resolvers are called with POST' } });
      let payload: unknown;
      try {
        const body = await readBody(req);
        payload = body.trim() === '' ? {} : JSON.parse(body);
      } catch (e) {
        const tooLarge = (e as Error).message === 'TOO_LARGE';
        return json(res, tooLarge ? 413 : 400, { ok: false, error: { code: 'INVALID_INPUT', message: tooLarge ? `the payload is over ${MAX_BODY_BYTES} bytes` : 'the body is not valid JSON' } });
      }
      const account = req.headers[ACCOUNT_HEADER];
      const result = await invokeResolver(options.deps, invoke[1]!, payload, typeof account === 'string' && account.length > 0 ? account : undefined);
      json(res, result.ok ? 200 : (STATUS[result.error.code] ?? 400), result);
    })().catch((e) => {
      console.error('local server:', e);
      if (!res.headersSent) json(res, 500, { ok: false, error: { code: 'INTERNAL', message: 'something went wrong on our side' } });
    });
  });
}
