/**
 * The Forge KVS service as @forge/kvs talks to it: REST POSTs to /api/v1/…
 * through `global.__forge_fetch__`. Installing this lets tests run the real
 * SDK end to end, so an adapter is checked against the package's real
 * request and response shapes, not against a mock of our own making.
 */
interface Entry {
  value: unknown;
  expiresAt: number | null;
}

type Body = Record<string, unknown>;

const UNITS: Record<string, number> = { SECONDS: 1000, MINUTES: 60_000, HOURS: 3_600_000, DAYS: 86_400_000 };

export class FakeForgeKvsService {
  readonly data = new Map<string, Entry>();
  readonly secrets = new Map<string, unknown>();
  readonly requests: string[] = [];

  constructor(readonly now: () => number = () => Date.now()) {}

  install(): () => void {
    const g = globalThis as { __forge_fetch__?: unknown };
    const previous = g.__forge_fetch__;
    g.__forge_fetch__ = async (_descriptor: unknown, path: string, init: { body: string }) => this.handle(path, JSON.parse(init.body) as Body | Body[]);
    return () => {
      g.__forge_fetch__ = previous;
    };
  }

  private live(key: string): Entry | undefined {
    const e = this.data.get(key);
    if (e && e.expiresAt !== null && e.expiresAt <= this.now()) {
      this.data.delete(key);
      return undefined;
    }
    return e;
  }

  private expiry(options: unknown): number | null {
    const ttl = (options as { ttl?: { value: number; unit: string } } | undefined)?.ttl;
    return ttl ? this.now() + ttl.value * (UNITS[ttl.unit] ?? 1000) : null;
  }

  private respond(status: number, body?: unknown) {
    const text = body === undefined ? '' : JSON.stringify(body);
    return { ok: status >= 200 && status < 300, status, statusText: String(status), headers: { get: () => null }, text: async () => text, json: async () => JSON.parse(text) };
  }

  private error(status: number, code: string, message: string) {
    return this.respond(status, { code, message });
  }

  private handle(path: string, body: Body | Body[]) {
    this.requests.push(path);
    const b = body as Body;
    switch (path) {
      case '/api/v1/get': {
        const e = this.live(b.key as string);
        return e ? this.respond(200, { key: b.key, value: e.value }) : this.error(404, 'KEY_NOT_FOUND', 'not found');
      }
      case '/api/v1/set': {
        const options = b.options as { keyPolicy?: string } | undefined;
        if (options?.keyPolicy === 'FAIL_IF_EXISTS' && this.live(b.key as string)) return this.error(409, 'KEY_ALREADY_EXISTS_UNDOCUMENTED', 'key exists');
        this.data.set(b.key as string, { value: b.value, expiresAt: this.expiry(options) });
        return this.respond(204);
      }
      case '/api/v1/delete':
        this.data.delete(b.key as string);
        return this.respond(204);
      case '/api/v1/query': {
        const limit = (b.limit as number | undefined) ?? 10;
        if (limit > 100) return this.error(400, 'LIST_QUERY_LIMIT_EXCEEDED', 'limit over 100');
        const where = (b.where as { property: string; condition: string; values: string[] }[] | undefined)?.[0];
        if (where && (where.property !== 'key' || where.condition !== 'BEGINS_WITH')) return this.error(400, 'QUERY_WHERE_INVALID', 'bad where');
        const prefix = where?.values[0] ?? '';
        const after = b.after === undefined ? null : Buffer.from(b.after as string, 'base64').toString('utf8');
        const keys = [...this.data.keys()].filter((k) => k.startsWith(prefix) && (after === null || k > after) && this.live(k)).sort();
        const page = keys.slice(0, limit);
        const data = page.map((key) => ({ key, value: this.data.get(key)!.value }));
        return this.respond(200, keys.length > limit ? { data, cursor: Buffer.from(page[page.length - 1]!, 'utf8').toString('base64') } : { data });
      }
      case '/api/v1/batch/get': {
        const items = body as Body[];
        if (items.length === 0 || items.length > 25) return this.error(400, 'INVALID_BATCH', 'batch of 1 to 25');
        const successfulKeys = items.filter((i) => this.live(i.key as string)).map((i) => ({ key: i.key, value: this.data.get(i.key as string)!.value }));
        return this.respond(200, { successfulKeys, failedKeys: [] });
      }
      case '/api/v1/transaction': {
        const sets = (b.set as Body[] | undefined) ?? [];
        const deletes = (b.delete as Body[] | undefined) ?? [];
        if (sets.length + deletes.length > 25) return this.error(400, 'TOO_MANY_OPERATIONS', 'at most 25');
        for (const s of sets) this.data.set(s.key as string, { value: s.value, expiresAt: this.expiry(s.options) });
        for (const d of deletes) this.data.delete(d.key as string);
        return this.respond(204);
      }
      case '/api/v1/secret/get':
        return this.secrets.has(b.key as string) ? this.respond(200, { key: b.key, value: this.secrets.get(b.key as string) }) : this.error(404, 'KEY_NOT_FOUND', 'not found');
      case '/api/v1/secret/set':
        this.secrets.set(b.key as string, b.value);
        return this.respond(204);
      case '/api/v1/secret/delete':
        this.secrets.delete(b.key as string);
        return this.respond(204);
      default:
        return this.error(404, 'NOT_FOUND', `no such path ${path}`);
    }
  }
}
