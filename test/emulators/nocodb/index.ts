// A small, strict in-memory NocoDB 0.301 (REST v2) for contract tests: a `fetch` to hand to the
// adapter (deps.fetch). Strict where the real server is (checked against nocodb 0.301.3 in
// test/integration): xc-token auth (401 ERR_AUTHENTICATION_REQUIRED), the where syntax
// ((field,op,value) joined by ~or/~and; anything else is a 422 like NocoDB's
// ERR_INVALID_FILTER… family), at most 100 rows per write (422 ERR_MAX_PAYLOAD_LIMIT_EXCEEDED),
// select values checked against the column options (400 naming the valid options), 404
// ERR_TABLE_NOT_FOUND / ERR_RECORD_NOT_FOUND, belongs-to links set inside an insert.
// Like 0.301.3 (checked by hand against the real server), a write naming a column the table
// lacks is NOT refused: the key is dropped silently; and a Number column takes "abc" as it is.
// Tables carry NocoDB's system columns (Id, CreatedAt, UpdatedAt, nc_created_by, nc_updated_by,
// nc_order; system: true), as the meta API lists them.
// Faults: `loseNextReply()` commits the next write, then fails the fetch (a killed request).

export interface EmColumn {
  id: string;
  title: string;
  uidt: string;
  colOptions?: { options?: { title: string }[]; type?: string; fk_related_model_id?: string };
  pk?: boolean;
  /** NocoDB fills it itself (timestamps, creator, order). */
  system?: boolean;
}
export interface EmTable {
  id: string;
  title: string;
  columns: EmColumn[];
  rows: Record<string, unknown>[];
  nextId: number;
}

export interface NocodbEmulator {
  fetch: typeof fetch;
  token: string;
  baseId: string;
  tables: Map<string, EmTable>;
  requests: { method: string; path: string; status: number }[];
  loseNextReply(): void;
  tableByTitle(title: string): EmTable | undefined;
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const err = (status: number, error: string, message: string) => json(status, { error, message });

let ids = 0;
const newId = (p: string) => `${p}${(++ids).toString(36).padStart(14, '0')}`;

const SYSTEM = (): EmColumn[] => [
  { id: newId('c'), title: 'Id', uidt: 'ID', pk: true },
  { id: newId('c'), title: 'CreatedAt', uidt: 'CreatedTime', system: true },
  { id: newId('c'), title: 'UpdatedAt', uidt: 'LastModifiedTime', system: true },
  { id: newId('c'), title: 'nc_created_by', uidt: 'CreatedBy', system: true },
  { id: newId('c'), title: 'nc_updated_by', uidt: 'LastModifiedBy', system: true },
  { id: newId('c'), title: 'nc_order', uidt: 'Order', system: true },
];
const nocoNow = () => `${new Date().toISOString().slice(0, 19).replace('T', ' ')}+00:00`;

const COND = /^\(([^,()~]+),(eq|like|neq),([^()~]*)\)$/;

/** NocoDB's where: (a,eq,1)~or(b,like,%x%). Returns null on a syntax it would refuse. */
export function parseWhere(where: string): { join: 'or' | 'and'; conds: { field: string; op: string; value: string }[] } | null {
  const parts = where.split(/~(or|and)(?=\()/);
  const conds: { field: string; op: string; value: string }[] = [];
  const joins = new Set<string>();
  for (let i = 0; i < parts.length; i++) {
    if (i % 2 === 1) {
      joins.add(parts[i]!);
      continue;
    }
    const m = COND.exec(parts[i]!);
    if (!m) return null;
    conds.push({ field: m[1]!, op: m[2]!, value: m[3]! });
  }
  if (joins.size > 1) return null; // mixed ~or/~and without grouping: not what the adapter sends
  return { join: joins.has('and') ? 'and' : 'or', conds };
}

function likeMatch(cell: unknown, pattern: string): boolean {
  if (cell === null || cell === undefined) return false;
  const p = pattern.includes('%') ? pattern : `%${pattern}%`;
  const re = new RegExp(`^${p.split('%').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/_/g, '.')).join('.*')}$`, 'is');
  return re.test(String(cell));
}

export function startNocodbEmulator(opts: { token?: string } = {}): NocodbEmulator {
  const token = opts.token ?? 'emulator-token';
  const baseId = newId('p');
  const tables = new Map<string, EmTable>();
  const requests: NocodbEmulator['requests'] = [];
  let loseReply = false;

  function checkRow(t: EmTable, row: Record<string, unknown>): Response | undefined {
    for (const [k, v] of Object.entries(row)) {
      if (k === 'Id') continue;
      const col = t.columns.find((c) => c.title === k);
      if (!col) continue; // NocoDB ignores unknown keys
      if ((col.uidt === 'SingleSelect' || col.uidt === 'MultiSelect') && v !== null && v !== undefined) {
        const allowed = (col.colOptions?.options ?? []).map((o) => o.title);
        const vals = col.uidt === 'MultiSelect' ? String(v).split(',') : [String(v)];
        const bad = vals.filter((x) => !allowed.includes(x));
        if (bad.length) return json(400, { msg: `Invalid option(s) "${bad.join(', ')}" provided for column "${col.title}". Valid options are "${allowed.join(', ')}"` });
      }
    }
    return undefined;
  }

  function insert(t: EmTable, row: Record<string, unknown>): number {
    const id = t.nextId++;
    const stored: Record<string, unknown> = { Id: id };
    for (const c of t.columns) {
      if (c.uidt === 'ID') continue;
      if (c.system) {
        stored[c.title] = c.uidt === 'CreatedTime' ? nocoNow() : c.uidt === 'Order' ? id : null;
        continue;
      }
      const v = row[c.title];
      if (c.uidt === 'LinkToAnotherRecord') stored[c.title] = v && typeof v === 'object' && 'Id' in v ? { Id: (v as { Id: unknown }).Id } : null;
      else stored[c.title] = v ?? null;
    }
    t.rows.push(stored);
    return id;
  }

  function handle(method: string, url: URL, body: unknown, headers: Headers): Response {
    const path = url.pathname;
    if (path === '/api/v1/health') return json(200, { message: 'OK' });
    if (headers.get('xc-token') !== token) return err(401, 'ERR_AUTHENTICATION_REQUIRED', 'Authentication required - Invalid token');
    let m: RegExpExecArray | null;
    if (method === 'GET' && path === '/api/v2/auth/user/me') return json(200, { email: 'admin@emulator.test', is_api_token: true });
    if ((m = /^\/api\/v2\/meta\/bases\/([^/]+)\/tables$/.exec(path))) {
      if (m[1] !== baseId) return err(404, 'ERR_BASE_NOT_FOUND', `Base '${m[1]}' not found`);
      if (method === 'GET') return json(200, { list: [...tables.values()].map((t) => ({ id: t.id, title: t.title })) });
      const b = body as { title: string; columns: (EmColumn & { column_name?: string })[] };
      if ([...tables.values()].some((t) => t.title === b.title)) return err(400, 'ERR_DUPLICATE_TABLE', `Duplicate table alias '${b.title}'`);
      const t: EmTable = { id: newId('m'), title: b.title, columns: [...SYSTEM(), ...b.columns.map((c) => ({ id: newId('c'), title: c.title, uidt: c.uidt, ...(c.colOptions ? { colOptions: c.colOptions } : {}) }))], rows: [], nextId: 1 };
      tables.set(t.id, t);
      return json(200, { id: t.id, title: t.title });
    }
    if ((m = /^\/api\/v2\/meta\/tables\/([^/]+)(\/columns)?$/.exec(path))) {
      const t = tables.get(m[1]!);
      if (!t) return err(404, 'ERR_TABLE_NOT_FOUND', `Table '${m[1]}' not found`);
      if (method === 'GET' && !m[2]) return json(200, { id: t.id, title: t.title, columns: t.columns });
      if (method === 'POST' && m[2]) {
        const b = body as { title: string; uidt: string; parentId: string; childId: string; type: string };
        const child = tables.get(b.childId);
        if (b.uidt !== 'Links' || b.type !== 'hm' || b.parentId !== t.id || !child) return err(400, 'ERR_BAD_REQUEST', 'Only hm Links from this table are emulated');
        t.columns.push({ id: newId('c'), title: b.title, uidt: 'Links', colOptions: { type: 'hm', fk_related_model_id: child.id } });
        child.columns.push({ id: newId('c'), title: t.title, uidt: 'LinkToAnotherRecord', colOptions: { type: 'bt', fk_related_model_id: t.id } });
        return json(200, { id: t.id });
      }
    }
    if ((m = /^\/api\/v2\/tables\/([^/]+)\/links\/([^/]+)\/records\/([^/]+)$/.exec(path)) && method === 'POST') {
      const t = tables.get(m[1]!);
      if (!t) return err(404, 'ERR_TABLE_NOT_FOUND', `Table '${m[1]}' not found`);
      const col = t.columns.find((c) => c.id === m![2]);
      const row = t.rows.find((r) => String(r.Id) === m![3]);
      if (!col || !row) return err(404, 'ERR_RECORD_NOT_FOUND', `Record '${m[3]}' not found`);
      row[col.title] = Array.isArray(body) ? body[0] : body;
      return json(201, true);
    }
    if ((m = /^\/api\/v2\/tables\/([^/]+)\/records(\/count|\/[^/]+)?$/.exec(path))) {
      const t = tables.get(m[1]!);
      if (!t) return err(404, 'ERR_TABLE_NOT_FOUND', `Table '${m[1]}' not found`);
      const sub = m[2];
      if (method === 'GET' && (sub === undefined || sub === '/count')) {
        let rows = t.rows;
        const where = url.searchParams.get('where');
        if (where) {
          const w = parseWhere(where);
          if (!w) return err(422, 'ERR_INVALID_FILTER', 'Invalid filter expression');
          for (const c of w.conds) if (!t.columns.some((x) => x.title === c.field)) return err(404, 'ERR_FIELD_NOT_FOUND', `Field '${c.field}' not found`);
          const test = (r: Record<string, unknown>, c: { field: string; op: string; value: string }) =>
            c.op === 'eq' ? String(r[c.field] ?? '') === c.value && r[c.field] !== null : c.op === 'neq' ? String(r[c.field] ?? '') !== c.value : likeMatch(r[c.field], c.value);
          rows = rows.filter((r) => (w.join === 'or' ? w.conds.some((c) => test(r, c)) : w.conds.every((c) => test(r, c))));
        }
        if (sub === '/count') return json(200, { count: rows.length });
        const limit = Number(url.searchParams.get('limit') ?? 25);
        if (!(limit >= 1 && limit <= 1000)) return err(422, 'ERR_INVALID_LIMIT', 'limit must be 1..1000');
        const offset = Number(url.searchParams.get('offset') ?? 0);
        const fields = url.searchParams.get('fields')?.split(',');
        const page = rows.slice(offset, offset + limit).map((r) => (fields ? Object.fromEntries(fields.filter((f) => f in r).map((f) => [f, r[f]])) : { ...r }));
        return json(200, { list: page, pageInfo: { totalRows: rows.length, isLastPage: offset + limit >= rows.length } });
      }
      if (method === 'GET' && sub) {
        const row = t.rows.find((r) => String(r.Id) === sub.slice(1));
        return row ? json(200, row) : err(404, 'ERR_RECORD_NOT_FOUND', `Record '${sub.slice(1)}' not found`);
      }
      if (method === 'POST' && sub === undefined) {
        const list = Array.isArray(body) ? body : [body];
        if (list.length > 100) return err(422, 'ERR_MAX_PAYLOAD_LIMIT_EXCEEDED', 'Maximum 100 entities are allowed per request');
        for (const r of list) {
          const bad = checkRow(t, r as Record<string, unknown>);
          if (bad) return bad;
        }
        const out = list.map((r) => ({ Id: insert(t, r as Record<string, unknown>) }));
        return json(200, Array.isArray(body) ? out : out[0]);
      }
      if (method === 'PATCH' && sub === undefined) {
        const list = body as Record<string, unknown>[];
        if (!Array.isArray(list)) return err(400, 'ERR_BAD_REQUEST', 'Expected an array');
        if (list.length > 100) return err(422, 'ERR_MAX_PAYLOAD_LIMIT_EXCEEDED', 'Maximum 100 entities are allowed per request');
        for (const r of list) {
          if (!t.rows.some((x) => x.Id === r.Id)) return err(404, 'ERR_RECORD_NOT_FOUND', `Record '${String(r.Id)}' not found`);
          const bad = checkRow(t, r);
          if (bad) return bad;
        }
        for (const r of list) {
          const row = t.rows.find((x) => x.Id === r.Id)!;
          for (const [k, v] of Object.entries(r)) if (t.columns.some((c) => c.title === k && !c.system) && k !== 'Id') row[k] = v;
          row.UpdatedAt = nocoNow();
        }
        return json(200, list.map((r) => ({ Id: r.Id })));
      }
    }
    return err(404, 'ERR_NOT_FOUND', `Cannot ${method} ${path}`);
  }

  const emFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    const url = new URL(req.url);
    const text = req.method === 'GET' ? '' : await req.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      return err(400, 'ERR_BAD_JSON', 'Invalid JSON');
    }
    const res = handle(req.method, url, body, req.headers);
    requests.push({ method: req.method, path: url.pathname, status: res.status });
    if (loseReply && req.method !== 'GET') {
      loseReply = false;
      throw new TypeError('fetch failed (reply lost after the server committed)');
    }
    return res;
  }) as typeof fetch;

  return {
    fetch: emFetch,
    token,
    baseId,
    tables,
    requests,
    loseNextReply: () => {
      loseReply = true;
    },
    tableByTitle: (title) => [...tables.values()].find((t) => t.title === title),
  };
}
