// A small, strict in-memory NocoDB 0.301 (REST v2) for contract tests: a `fetch` to hand to the
// adapter (deps.fetch). Every behaviour below was checked against a real nocodb 0.301.3 (SQLite)
// on 2026-12-06 by hand and in test/integration (nocodb-operations, nocodb-read), and where the
// server's own code decides it, against its bundle (node_modules/nocodb/dist/bundle.js,
// DateTimeGeneralHandler / DateTimeSQLiteHandler):
// - auth: xc-token (401 ERR_AUTHENTICATION_REQUIRED). Two tokens: the owner's and a colleague's.
// - where: (field,op,value) joined by ~or/~and; date columns need a sub-op, (UpdatedAt,ge,exactDate,
//   2026-12-06 03:13:57+00:00); an unknown column → 422 {"msg":"Column alias 'X' not found."}, an
//   unknown op → 422 {"msg":"foo is not supported."}, a date column without sub-op → 422
//   {"msg":"'…' is not supported."}, a value that is no date → 422 ERR_FILTER_VERIFICATION_FAILED.
// - date comparisons as SQLite runs them: the filter value (its offset honoured, none = UTC) is
//   formatted "YYYY-MM-DD HH:mm:ss" (milliseconds dropped) and compared AS TEXT with the stored
//   "YYYY-MM-DD HH:mm:ss+00:00". So gt/ge both match the same second (the stored text is longer),
//   lt/le both exclude it, eq means "the same UTC day". A value without a time part is the start
//   of its day (gt/le: its end). Rows with no value (UpdatedAt of a never-edited row) never match.
// - paging: limit < 1 or not a number → 25, above 1000 → 1000 (silently); offset < 0 → 0;
//   offset > 0 and ≥ the match count → 422 ERR_INVALID_OFFSET_VALUE; pageInfo {totalRows, page,
//   pageSize, isFirstPage, isLastPage}. sort: titles, "-" for descending, unknown → 404
//   ERR_FIELD_NOT_FOUND; fields: only those (no Id unless asked), unknown → 404 ERR_FIELD_NOT_FOUND.
// - rows: Id allocated as SQLite does for an INTEGER PRIMARY KEY without AUTOINCREMENT (what
//   NocoDB creates): max(Id)+1, so the Id of the NEWEST row is given again after it is deleted
//   (sqlite.org/autoinc.html; seen on 0.301.3). Concurrent inserts get distinct Ids.
// - system fields: CreatedAt set on insert; UpdatedAt null until the first update, then set on
//   EVERY PATCH (even one that changes nothing); both to the second, "+00:00". nc_created_by,
//   nc_updated_by and nc_order are never returned (not even when asked for in fields).
//   A CreatedBy column the user added returns {id, email, display_name, meta}.
// - links: a hm Links column shows the child count on the parent; the child shows the
//   belongs-to column as {Id, <display column>} and its ForeignKey column as the parent's Id.
//   GET /links/{col}/records/{id} lists the children (fields, where, limit, offset; sort is
//   ignored, as 0.301.3 ignores it); default fields: Id and the display column.
// - writes: at most 100 rows (422 ERR_MAX_PAYLOAD_LIMIT_EXCEEDED); select values checked (400
//   naming the options); unknown keys dropped silently; a Number column takes "abc" as it is;
//   a Formula column in a POST → 400 {"msg":"Column \"X\" is virtual and cannot be updated"},
//   in a PATCH it is ignored. AutoNumber on SQLite is a plain nullable integer: nothing allocates
//   it and writes to it are stored (so Liaison does not use it for codes).
// - formulas: CONCAT, IF, RIGHT, LEFT, LEN, string/number literals, {Column}, + - and comparisons;
//   anything else is refused at column creation as "not emulated" (a deviation, said so).
// Faults: `loseNextReply()` commits the next write, then fails the fetch (a killed request);
// `answerNext()` answers the next request with a given status/body/headers (a proxy's 429, a
// mangled reply) without touching the data.

export interface EmColumn {
  id: string;
  title: string;
  uidt: string;
  colOptions?: { options?: { title: string }[]; type?: string; fk_related_model_id?: string; fk_child_column_id?: string; formula_raw?: string };
  pk?: boolean;
  pv?: boolean;
  /** NocoDB fills it itself (timestamps, creator, order). */
  system?: boolean;
}
export interface EmTable {
  id: string;
  title: string;
  columns: EmColumn[];
  /** Stored rows: Id, the system fields and the cells; belongs-to links as {Id: parent's Id}. */
  rows: Record<string, unknown>[];
}
export interface EmUser {
  id: string;
  email: string;
  display_name: string | null;
}

export interface NocodbEmulator {
  fetch: typeof fetch;
  token: string;
  /** A second user's token ("a colleague" editing in NocoDB). */
  colleagueToken: string;
  baseId: string;
  tables: Map<string, EmTable>;
  requests: { method: string; path: string; search: URLSearchParams; status: number }[];
  loseNextReply(): void;
  answerNext(res: { status: number; body?: unknown; headers?: Record<string, string> }): void;
  tableByTitle(title: string): EmTable | undefined;
  /** The server clock (epoch ms); starts at 2026-12-06 03:00:00 UTC and moves only by advance(). */
  now(): number;
  advance(ms: number): void;
  /** A row as the REST API returns it (formulas computed, system fields shaped). */
  view(tableTitle: string, id: number): Record<string, unknown> | undefined;
  /** Writes made through the REST API with the colleague's token, as an edit in NocoDB's UI would be. */
  colleague: {
    insert(tableTitle: string, row: Record<string, unknown>): Promise<number>;
    patch(tableTitle: string, id: number, values: Record<string, unknown>): Promise<void>;
    remove(tableTitle: string, id: number): Promise<void>;
  };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const err = (status: number, error: string, message: string) => json(status, { error, message });
const msg = (status: number, message: string) => json(status, { msg: message });

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
/** Never in a reply: NocoDB hides these system columns from the data API. */
const HIDDEN = new Set(['CreatedBy', 'LastModifiedBy', 'Order']);
/** A stored belongs-to cell ({Id: n}, as the adapter's tests read it back) → the parent's Id. */
const linkId = (v: unknown): unknown => (v && typeof v === 'object' && 'Id' in v ? (v as { Id: unknown }).Id : null);
const isHidden = (c: EmColumn) => c.system === true && HIDDEN.has(c.uidt);
const DATE_TIME_TYPES = new Set(['DateTime', 'CreatedTime', 'LastModifiedTime']);
const NUMERIC_TYPES = new Set(['ID', 'Number', 'Decimal', 'Currency', 'Percent', 'Rating', 'Duration', 'AutoNumber', 'ForeignKey', 'Year']);
const SELECT_TYPES = new Set(['SingleSelect', 'MultiSelect']);
/** Computed on read; never stored. */
const VIRTUAL_TYPES = new Set(['Formula', 'Links', 'Lookup', 'Rollup']);

/** NocoDB's stored form of an instant: seconds, UTC, "+00:00". */
export function nocoTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}+00:00`;
}

// ---- where ----

export interface WhereCond {
  field: string;
  op: string;
  sub?: string;
  value: string;
}
const OPS = new Set(['eq', 'neq', 'like', 'in', 'gt', 'ge', 'gte', 'lt', 'le', 'lte']);
/** Comparison ops NocoDB has that this emulator does not implement (422 "not emulated", never a silent match). */
const OTHER_OPS = new Set(['not', 'nlike', 'is', 'isnot', 'isWithin', 'btw', 'nbtw', 'allof', 'anyof', 'nallof', 'nanyof', 'blank', 'notblank', 'null', 'notnull', 'empty', 'notempty', 'checked', 'notchecked']);

/** NocoDB's where: (a,eq,1)~or(b,like,%x%). Returns null on a syntax it would refuse. Mixed ~or/~and without grouping is refused here (the adapter never sends it). */
export function parseWhere(where: string): { join: 'or' | 'and'; conds: WhereCond[] } | null {
  const parts = where.split(/~(or|and)(?=\()/);
  const conds: WhereCond[] = [];
  const joins = new Set<string>();
  for (let i = 0; i < parts.length; i++) {
    if (i % 2 === 1) {
      joins.add(parts[i]!);
      continue;
    }
    const m = /^\(([^()~]*)\)$/.exec(parts[i]!);
    if (!m) return null;
    const bits = m[1]!.split(',');
    if (bits.length < 3 || !bits[0] || !bits[1]) return null;
    conds.push({ field: bits[0], op: bits[1], value: bits.slice(2).join(',') });
  }
  if (joins.size > 1) return null;
  return { join: joins.has('and') ? 'and' : 'or', conds };
}

/** A filter value as dayjs reads it: with an offset or Z as given, without one in UTC (the server's zone). */
export function parseFilterDate(v: string): { ms: number; hasTime: boolean } | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(v.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, tz] = m;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0), Number((frac ?? '0').padEnd(3, '0')));
  if (tz && tz !== 'Z') {
    const sign = tz[0] === '-' ? -1 : 1;
    const digits = tz.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return Number.isNaN(ms) ? undefined : { ms, hasTime: h !== undefined };
}
const sqlText = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

function likeMatch(cell: unknown, pattern: string): boolean {
  if (cell === null || cell === undefined) return false;
  const p = pattern.includes('%') ? pattern : `%${pattern}%`;
  const re = new RegExp(`^${p.split('%').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/_/g, '.')).join('.*')}$`, 'is');
  return re.test(String(cell));
}

type Test = (row: Record<string, unknown>) => boolean;

/** One condition, or the Response NocoDB would give for it. */
function compileCond(c: WhereCond, col: EmColumn | undefined): Test | Response {
  if (!col) return msg(422, `Column alias '${c.field}' not found.`);
  if (OTHER_OPS.has(c.op)) return msg(422, `the emulator does not implement the "${c.op}" operator`);
  if (!OPS.has(c.op)) return msg(422, `${c.op} is not supported.`);
  if (DATE_TIME_TYPES.has(col.uidt)) {
    const comma = c.value.indexOf(',');
    const sub = comma < 0 ? c.value : c.value.slice(0, comma);
    const raw = comma < 0 ? '' : c.value.slice(comma + 1);
    if (comma < 0) return msg(422, `'${c.value}' is not supported.`);
    if (sub !== 'exactDate') return msg(422, `the emulator implements only the exactDate sub-operator (got "${sub}")`);
    const d = parseFilterDate(raw);
    if (!d) return err(422, 'ERR_FILTER_VERIFICATION_FAILED', `Filter verification failed: Value ${raw} is not supported for type ${col.uidt} on column ${col.title}`);
    const dayStart = Math.floor(d.ms / 86_400_000) * 86_400_000;
    const dayEnd = dayStart + 86_400_000 - 1;
    const text = (r: Record<string, unknown>) => (typeof r[col.title] === 'string' ? (r[col.title] as string) : undefined);
    const anchor = (endOfDay: boolean) => sqlText(d.hasTime ? d.ms : endOfDay ? dayEnd : dayStart);
    switch (c.op) {
      case 'eq':
        return (r) => {
          const t = text(r);
          return t !== undefined && t >= sqlText(dayStart) && t <= sqlText(dayEnd);
        };
      case 'neq':
        return (r) => {
          const t = text(r);
          return t === undefined || t < sqlText(dayStart) || t > sqlText(dayEnd);
        };
      case 'gt':
        return (r) => (text(r) ?? '') > anchor(true) && text(r) !== undefined;
      case 'ge':
      case 'gte':
        return (r) => text(r) !== undefined && text(r)! >= anchor(false);
      case 'lt':
        return (r) => text(r) !== undefined && text(r)! < anchor(false);
      case 'le':
      case 'lte':
        return (r) => text(r) !== undefined && text(r)! <= anchor(true);
      default:
        return msg(422, `${c.op} is not supported.`);
    }
  }
  if (col.uidt === 'Date') return msg(422, 'the emulator does not implement filters on Date columns');
  if (col.uidt === 'LinkToAnotherRecord' || col.uidt === 'Links') return msg(422, 'the emulator does not implement filters on link columns');
  const numeric = NUMERIC_TYPES.has(col.uidt);
  const cmp = (cell: unknown, v: string): number | undefined => {
    if (cell === null || cell === undefined) return undefined;
    if (numeric) return Number(cell) - Number(v);
    return String(cell) < v ? -1 : String(cell) > v ? 1 : 0;
  };
  switch (c.op) {
    case 'eq':
      return (r) => r[col.title] !== null && r[col.title] !== undefined && String(r[col.title]) === c.value;
    case 'neq':
      return (r) => String(r[col.title] ?? '') !== c.value;
    case 'like':
      return (r) => likeMatch(r[col.title], c.value);
    case 'in': {
      const set = new Set(c.value.split(','));
      return (r) => r[col.title] !== null && r[col.title] !== undefined && set.has(String(r[col.title]));
    }
    case 'gt':
      return (r) => (cmp(r[col.title], c.value) ?? -1) > 0;
    case 'ge':
    case 'gte':
      return (r) => (cmp(r[col.title], c.value) ?? -1) >= 0;
    case 'lt':
      return (r) => (cmp(r[col.title], c.value) ?? 1) < 0;
    default:
      return (r) => (cmp(r[col.title], c.value) ?? 1) <= 0;
  }
}

// ---- formulas ----

type FVal = string | number | null;
type FNode = { k: 'lit'; v: FVal } | { k: 'ref'; title: string } | { k: 'call'; fn: string; args: FNode[] } | { k: 'bin'; op: string; a: FNode; b: FNode };
const FUNCS = new Set(['CONCAT', 'IF', 'RIGHT', 'LEFT', 'LEN']);

export function parseFormula(src: string): FNode {
  let i = 0;
  const ws = () => {
    while (/\s/.test(src[i] ?? '')) i++;
  };
  const fail = (why: string): never => {
    throw new Error(`formula: ${why} at ${i}`);
  };
  const primary = (): FNode => {
    ws();
    const ch = src[i];
    if (ch === '"' || ch === "'") {
      const end = src.indexOf(ch, i + 1);
      if (end < 0) fail('unterminated string');
      const v = src.slice(i + 1, end);
      i = end + 1;
      return { k: 'lit', v };
    }
    if (ch === '{') {
      const end = src.indexOf('}', i);
      if (end < 0) fail('unterminated reference');
      const title = src.slice(i + 1, end);
      i = end + 1;
      return { k: 'ref', title };
    }
    if (ch === '(') {
      i++;
      const e = expr();
      ws();
      if (src[i] !== ')') fail('expected )');
      i++;
      return e;
    }
    const num = /^\d+(\.\d+)?/.exec(src.slice(i));
    if (num) {
      i += num[0].length;
      return { k: 'lit', v: Number(num[0]) };
    }
    const name = /^[A-Z_]+/.exec(src.slice(i));
    if (!name) return fail('unexpected input');
    i += name[0].length;
    if (!FUNCS.has(name[0])) fail(`the emulator does not implement ${name[0]}`);
    ws();
    if (src[i] !== '(') fail('expected (');
    i++;
    const args: FNode[] = [];
    ws();
    if (src[i] === ')') i++;
    else {
      for (;;) {
        args.push(expr());
        ws();
        if (src[i] === ',') {
          i++;
          continue;
        }
        if (src[i] === ')') {
          i++;
          break;
        }
        fail('expected , or )');
      }
    }
    return { k: 'call', fn: name[0], args };
  };
  const additive = (): FNode => {
    let a = primary();
    for (;;) {
      ws();
      const op = src[i];
      if (op !== '+' && op !== '-' && op !== '&') return a;
      i++;
      a = { k: 'bin', op, a, b: primary() };
    }
  };
  const expr = (): FNode => {
    const a = additive();
    ws();
    const op = /^(<=|>=|!=|<|>|=)/.exec(src.slice(i))?.[0];
    if (!op) return a;
    i += op.length;
    return { k: 'bin', op, a, b: additive() };
  };
  const tree = expr();
  ws();
  if (i !== src.length) fail('trailing input');
  return tree;
}

function evalFormula(n: FNode, row: Record<string, unknown>): FVal {
  const str = (v: FVal) => (v === null ? '' : String(v));
  switch (n.k) {
    case 'lit':
      return n.v;
    case 'ref': {
      const v = row[n.title];
      return typeof v === 'number' || typeof v === 'string' ? v : null;
    }
    case 'bin': {
      const a = evalFormula(n.a, row);
      const b = evalFormula(n.b, row);
      if (n.op === '&') return str(a) + str(b);
      if (n.op === '+' || n.op === '-') return a === null || b === null ? null : n.op === '+' ? Number(a) + Number(b) : Number(a) - Number(b);
      const x = typeof a === 'number' || typeof b === 'number' ? Number(a) - Number(b) : str(a).localeCompare(str(b));
      return { '<': x < 0, '>': x > 0, '<=': x <= 0, '>=': x >= 0, '=': x === 0, '!=': x !== 0 }[n.op] ? 1 : 0;
    }
    case 'call': {
      const args = n.fn === 'IF' ? [] : n.args.map((a) => evalFormula(a, row));
      switch (n.fn) {
        case 'CONCAT':
          return args.map(str).join('');
        case 'IF': {
          const c = evalFormula(n.args[0]!, row);
          return evalFormula(c && c !== '0' ? n.args[1]! : n.args[2] ?? { k: 'lit', v: null }, row);
        }
        case 'RIGHT':
          return str(args[0] ?? null).slice(-Number(args[1] ?? 0) || Infinity);
        case 'LEFT':
          return str(args[0] ?? null).slice(0, Number(args[1] ?? 0));
        default:
          return str(args[0] ?? null).length;
      }
    }
  }
}

// ---- the server ----

export function startNocodbEmulator(opts: { token?: string } = {}): NocodbEmulator {
  const token = opts.token ?? 'emulator-token';
  const colleagueToken = 'colleague-token';
  const users = new Map<string, EmUser>([
    [token, { id: 'usowner00000001', email: 'admin@emulator.test', display_name: null }],
    [colleagueToken, { id: 'uscolleague0001', email: 'lilei@emulator.test', display_name: '李雷' }],
  ]);
  const baseId = newId('p');
  const tables = new Map<string, EmTable>();
  const requests: NocodbEmulator['requests'] = [];
  const formulas = new Map<string, FNode | null>();
  let loseReply = false;
  let nextAnswer: { status: number; body?: unknown; headers?: Record<string, string> } | undefined;
  let clock = Date.UTC(2026, 11, 6, 3, 0, 0);

  const userById = (id: unknown) => [...users.values()].find((u) => u.id === id);
  const column = (t: EmTable, title: string) => t.columns.find((c) => c.title === title);
  const btColumns = (t: EmTable) => t.columns.filter((c) => c.uidt === 'LinkToAnotherRecord' && c.colOptions?.type === 'bt');
  const pvTitle = (t: EmTable) => (t.columns.find((c) => c.pv) ?? t.columns.find((c) => !c.system && !c.pk && c.uidt === 'SingleLineText'))?.title;

  /** The row as the data API shows it: computed columns filled, hidden system columns left out. */
  function render(t: EmTable, row: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const c of t.columns) {
      if (isHidden(c)) continue;
      if (c.uidt === 'Formula') {
        const f = formulas.get(c.id);
        out[c.title] = f ? evalFormula(f, row) : null;
      } else if (c.uidt === 'Links') {
        const child = tables.get(c.colOptions?.fk_related_model_id ?? '');
        const bt = child && btColumns(child).find((x) => x.colOptions?.fk_related_model_id === t.id);
        out[c.title] = child && bt ? child.rows.filter((r) => linkId(r[bt.title]) === row.Id).length : 0;
      } else if (c.uidt === 'LinkToAnotherRecord') {
        const parent = tables.get(c.colOptions?.fk_related_model_id ?? '');
        const p = parent?.rows.find((r) => r.Id === linkId(row[c.title]));
        const pv = parent && pvTitle(parent);
        out[c.title] = p ? { Id: p.Id, ...(pv ? { [pv]: p[pv] ?? null } : {}) } : null;
      } else if (c.uidt === 'ForeignKey') {
        const bt = t.columns.find((x) => x.colOptions?.fk_child_column_id === c.id);
        out[c.title] = bt ? linkId(row[bt.title]) : null;
      } else if (c.uidt === 'CreatedBy' || c.uidt === 'LastModifiedBy') {
        const u = userById(row[c.uidt === 'CreatedBy' ? 'nc_created_by' : 'nc_updated_by']);
        out[c.title] = u ? { id: u.id, email: u.email, display_name: u.display_name, meta: null } : null;
      } else out[c.title] = row[c.title] ?? null;
    }
    return out;
  }

  function checkRow(t: EmTable, row: Record<string, unknown>, mode: 'insert' | 'patch'): Response | undefined {
    for (const [k, v] of Object.entries(row)) {
      if (k === 'Id') continue;
      const col = column(t, k);
      if (!col) continue; // NocoDB ignores unknown keys
      if (VIRTUAL_TYPES.has(col.uidt) && mode === 'insert') return msg(400, `Column "${col.title}" is virtual and cannot be updated`);
      if (SELECT_TYPES.has(col.uidt) && v !== null && v !== undefined) {
        const allowed = (col.colOptions?.options ?? []).map((o) => o.title);
        const vals = Array.isArray(v) ? v.map(String) : col.uidt === 'MultiSelect' ? String(v).split(',') : [String(v)];
        const bad = vals.filter((x) => !allowed.includes(x));
        if (bad.length) return msg(400, `Invalid option(s) "${bad.join(', ')}" provided for column "${col.title}". Valid options are "${allowed.join(', ')}"`);
      }
    }
    return undefined;
  }

  /** A cell as NocoDB stores it (numbers from numeric text, multi-select arrays joined). */
  function cell(c: EmColumn, v: unknown): unknown {
    if (v === undefined || v === null) return null;
    if (c.uidt === 'LinkToAnotherRecord') return linkId(v) !== null ? { Id: Number(linkId(v)) } : null;
    if (c.uidt === 'MultiSelect' && Array.isArray(v)) return v.join(',');
    if (NUMERIC_TYPES.has(c.uidt) && typeof v === 'string' && v.trim() && Number.isFinite(Number(v))) return Number(v);
    if (c.uidt === 'DateTime' && typeof v === 'string') {
      const d = parseFilterDate(v);
      return d ? nocoTime(d.ms) : v;
    }
    return v;
  }

  function insert(t: EmTable, row: Record<string, unknown>, user: EmUser): number {
    // SQLite INTEGER PRIMARY KEY without AUTOINCREMENT: one more than the largest Id now in the table.
    const id = t.rows.reduce((m, r) => Math.max(m, Number(r.Id)), 0) + 1;
    const stored: Record<string, unknown> = { Id: id, CreatedAt: nocoTime(clock), UpdatedAt: null, nc_created_by: user.id, nc_updated_by: null, nc_order: id };
    for (const c of t.columns) {
      if (c.pk || c.system || VIRTUAL_TYPES.has(c.uidt) || c.uidt === 'ForeignKey' || c.uidt === 'CreatedBy' || c.uidt === 'LastModifiedBy') continue;
      stored[c.title] = cell(c, row[c.title]);
    }
    t.rows.push(stored);
    return id;
  }

  function patch(t: EmTable, row: Record<string, unknown>, values: Record<string, unknown>, user: EmUser): void {
    for (const [k, v] of Object.entries(values)) {
      const c = column(t, k);
      if (!c || c.pk || c.system || VIRTUAL_TYPES.has(c.uidt) || c.uidt === 'ForeignKey' || c.uidt === 'CreatedBy' || c.uidt === 'LastModifiedBy') continue;
      row[k] = cell(c, v);
    }
    row.UpdatedAt = nocoTime(clock);
    row.nc_updated_by = user.id;
  }

  /** The rows a where matches, or NocoDB's refusal of it. */
  function filtered(t: EmTable, rows: Record<string, unknown>[], where: string | null): Record<string, unknown>[] | Response {
    if (!where) return rows;
    const w = parseWhere(where);
    if (!w) return err(422, 'ERR_INVALID_FILTER', 'Invalid filter expression');
    const tests: Test[] = [];
    for (const c of w.conds) {
      const compiled = compileCond(c, column(t, c.field));
      if (compiled instanceof Response) return compiled;
      tests.push(compiled);
    }
    return rows.filter((r) => {
      const v = render(t, r);
      return w.join === 'or' ? tests.some((f) => f(v)) : tests.every((f) => f(v));
    });
  }

  /** limit/offset/sort/fields/where over a set of rows, as the list endpoints answer. */
  function list(t: EmTable, all: Record<string, unknown>[], url: URL, o: { defaultFields?: string[]; sort: boolean }): Response {
    const matched = filtered(t, all, url.searchParams.get('where'));
    if (matched instanceof Response) return matched;
    let rows = matched;
    const sort = url.searchParams.get('sort');
    if (sort) {
      const keys = sort.split(',').map((s) => ({ desc: s.startsWith('-'), title: s.replace(/^-/, '') }));
      for (const k of keys) if (!column(t, k.title)) return err(404, 'ERR_FIELD_NOT_FOUND', `Field '${k.title}' not found`);
      if (o.sort) {
        const shown = new Map(rows.map((r) => [r, render(t, r)]));
        rows = [...rows].sort((a, b) => {
          for (const k of keys) {
            const x = shown.get(a)![k.title];
            const y = shown.get(b)![k.title];
            if (x === y) continue;
            // SQLite: NULL sorts first ascending.
            const c = x === null || x === undefined ? -1 : y === null || y === undefined ? 1 : x < y ? -1 : 1;
            return k.desc ? -c : c;
          }
          return 0;
        });
      }
    }
    const fieldsParam = url.searchParams.get('fields');
    const fields = fieldsParam ? fieldsParam.split(',') : o.defaultFields;
    for (const f of fields ?? []) if (!column(t, f)) return err(404, 'ERR_FIELD_NOT_FOUND', `Field '${f}' not found`);
    const rawLimit = Number(url.searchParams.get('limit') ?? 25);
    const limit = !(rawLimit >= 1) ? 25 : Math.min(Math.floor(rawLimit), 1000);
    const rawOffset = Number(url.searchParams.get('offset') ?? 0);
    const offset = !(rawOffset > 0) ? 0 : Math.floor(rawOffset);
    if (offset > 0 && offset >= rows.length) return err(422, 'ERR_INVALID_OFFSET_VALUE', `Offset value '${offset}' is invalid`);
    const page = rows.slice(offset, offset + limit).map((r) => {
      const v = render(t, r);
      return fields ? Object.fromEntries(fields.filter((f) => f in v).map((f) => [f, v[f]])) : v;
    });
    const pageNo = Math.floor(offset / limit) + 1;
    return json(200, { list: page, pageInfo: { totalRows: rows.length, page: pageNo, pageSize: limit, isFirstPage: pageNo === 1, isLastPage: offset + limit >= rows.length } });
  }

  function addColumn(t: EmTable, b: Record<string, unknown>): Response | undefined {
    const title = String(b.title ?? '');
    if (!title) return err(400, 'ERR_BAD_REQUEST', 'title is required');
    if (column(t, title)) return err(400, 'ERR_DUPLICATE_COLUMN', `Duplicate column alias '${title}'`);
    const uidt = String(b.uidt ?? '');
    const col: EmColumn = { id: newId('c'), title, uidt, ...(b.pv ? { pv: true } : {}) };
    if (uidt === 'Formula') {
      const raw = typeof b.formula_raw === 'string' ? b.formula_raw : '';
      let tree: FNode;
      try {
        tree = parseFormula(raw);
      } catch (e) {
        return err(400, 'ERR_FORMULA', `Invalid formula: ${(e as Error).message}`);
      }
      const refs: string[] = [];
      const walk = (n: FNode): void => {
        if (n.k === 'ref') refs.push(n.title);
        if (n.k === 'call') n.args.forEach(walk);
        if (n.k === 'bin') [n.a, n.b].forEach(walk);
      };
      walk(tree);
      for (const r of refs) if (!column(t, r)) return err(400, 'ERR_FORMULA', `Column '${r}' not found`);
      col.colOptions = { formula_raw: raw };
      formulas.set(col.id, tree);
    } else if (b.colOptions && typeof b.colOptions === 'object') col.colOptions = b.colOptions as EmColumn['colOptions'];
    t.columns.push(col);
    return undefined;
  }

  function handle(method: string, url: URL, body: unknown, headers: Headers): Response {
    const path = url.pathname;
    if (path === '/api/v1/health') return json(200, { message: 'OK' });
    const user = users.get(headers.get('xc-token') ?? '');
    if (!user) return err(401, 'ERR_AUTHENTICATION_REQUIRED', 'Authentication required - Invalid token');
    let m: RegExpExecArray | null;
    if (method === 'GET' && path === '/api/v2/auth/user/me') return json(200, { email: user.email, is_api_token: true });
    if ((m = /^\/api\/v2\/meta\/bases\/([^/]+)\/tables$/.exec(path))) {
      if (m[1] !== baseId) return err(404, 'ERR_BASE_NOT_FOUND', `Base '${m[1]}' not found`);
      if (method === 'GET') return json(200, { list: [...tables.values()].map((t) => ({ id: t.id, title: t.title })) });
      const b = body as { title: string; columns: Record<string, unknown>[] };
      if ([...tables.values()].some((t) => t.title === b.title)) return err(400, 'ERR_DUPLICATE_TABLE', `Duplicate table alias '${b.title}'`);
      // 0.301.3 cannot create a formula with its table (the formula references columns not made
      // yet): ERR_DATABASE_OP_FAILED "NOT NULL constraint failed: nc_col_formula_v2.formula".
      if (b.columns.some((c) => c.uidt === 'Formula')) return err(400, 'ERR_DATABASE_OP_FAILED', 'SQLITE_CONSTRAINT: NOT NULL constraint failed: nc_col_formula_v2.formula');
      const t: EmTable = { id: newId('m'), title: b.title, columns: SYSTEM(), rows: [] };
      for (const c of b.columns) {
        const bad = addColumn(t, c);
        if (bad) return bad;
      }
      tables.set(t.id, t);
      return json(200, { id: t.id, title: t.title, columns: t.columns });
    }
    if ((m = /^\/api\/v2\/meta\/tables\/([^/]+)(\/columns)?$/.exec(path))) {
      const t = tables.get(m[1]!);
      if (!t) return err(404, 'ERR_TABLE_NOT_FOUND', `Table '${m[1]}' not found`);
      if (method === 'GET' && !m[2]) return json(200, { id: t.id, title: t.title, columns: t.columns });
      if (method === 'POST' && m[2]) {
        const b = body as Record<string, unknown>;
        if (b.uidt !== 'Links') {
          const bad = addColumn(t, b);
          return bad ?? json(200, { id: t.id, columns: t.columns });
        }
        const child = tables.get(String(b.childId));
        if (b.type !== 'hm' || b.parentId !== t.id || !child) return err(400, 'ERR_BAD_REQUEST', 'Only hm Links from this table are emulated');
        t.columns.push({ id: newId('c'), title: String(b.title), uidt: 'Links', colOptions: { type: 'hm', fk_related_model_id: child.id } });
        const fk: EmColumn = { id: newId('c'), title: `nc_${t.id.slice(-4)}___${t.title}_id`, uidt: 'ForeignKey' };
        child.columns.push(fk, { id: newId('c'), title: t.title, uidt: 'LinkToAnotherRecord', colOptions: { type: 'bt', fk_related_model_id: t.id, fk_child_column_id: fk.id } });
        return json(200, { id: t.id });
      }
    }
    if ((m = /^\/api\/v2\/tables\/([^/]+)\/links\/([^/]+)\/records\/([^/]+)$/.exec(path))) {
      const t = tables.get(m[1]!);
      if (!t) return err(404, 'ERR_TABLE_NOT_FOUND', `Table '${m[1]}' not found`);
      const col = t.columns.find((c) => c.id === m![2]);
      if (!col || (col.uidt !== 'Links' && col.uidt !== 'LinkToAnotherRecord')) return err(404, 'ERR_COLUMN_NOT_FOUND', `Column '${m[2]}' not found`);
      const row = t.rows.find((r) => String(r.Id) === m![3]);
      if (!row) return err(404, 'ERR_RECORD_NOT_FOUND', `Record '${m[3]}' not found`);
      if (method === 'POST') {
        if (col.uidt !== 'LinkToAnotherRecord') return err(400, 'ERR_BAD_REQUEST', 'the emulator links from the belongs-to side only');
        const target = Array.isArray(body) ? body[0] : body;
        row[col.title] = linkId(target) !== null ? { Id: Number(linkId(target)) } : null;
        row.UpdatedAt = nocoTime(clock);
        return json(201, true);
      }
      if (method === 'GET') {
        if (col.uidt !== 'Links' || col.colOptions?.type !== 'hm') return err(400, 'ERR_BAD_REQUEST', 'the emulator lists has-many links only');
        const child = tables.get(col.colOptions.fk_related_model_id ?? '')!;
        const bt = btColumns(child).find((x) => x.colOptions?.fk_related_model_id === t.id)!;
        const pv = pvTitle(child);
        return list(child, child.rows.filter((r) => linkId(r[bt.title]) === row.Id), url, { defaultFields: ['Id', ...(pv ? [pv] : [])], sort: false });
      }
    }
    if ((m = /^\/api\/v2\/tables\/([^/]+)\/records(\/count|\/[^/]+)?$/.exec(path))) {
      const t = tables.get(m[1]!);
      if (!t) return err(404, 'ERR_TABLE_NOT_FOUND', `Table '${m[1]}' not found`);
      const sub = m[2];
      if (method === 'GET' && sub === '/count') {
        const rows = filtered(t, t.rows, url.searchParams.get('where'));
        return rows instanceof Response ? rows : json(200, { count: rows.length });
      }
      if (method === 'GET' && sub === undefined) return list(t, [...t.rows].sort((a, b) => Number(a.Id) - Number(b.Id)), url, { sort: true });
      if (method === 'GET' && sub) {
        const key = sub.slice(1);
        if (!/^\d+$/.test(key)) return err(422, 'ERR_INVALID_PK_VALUE', `Primary key value '${key}' is invalid for column 'Id'`);
        const row = t.rows.find((r) => String(r.Id) === key);
        if (!row) return err(404, 'ERR_RECORD_NOT_FOUND', `Record '${key}' not found`);
        const v = render(t, row);
        const fields = url.searchParams.get('fields')?.split(',');
        for (const f of fields ?? []) if (!column(t, f)) return err(404, 'ERR_FIELD_NOT_FOUND', `Field '${f}' not found`);
        return json(200, fields ? Object.fromEntries(fields.filter((f) => f in v).map((f) => [f, v[f]])) : v);
      }
      if (method === 'POST' && sub === undefined) {
        const rows = Array.isArray(body) ? body : [body];
        if (rows.length > 100) return err(422, 'ERR_MAX_PAYLOAD_LIMIT_EXCEEDED', 'Maximum 100 entities are allowed per request');
        for (const r of rows) {
          const bad = checkRow(t, r as Record<string, unknown>, 'insert');
          if (bad) return bad;
        }
        const out = rows.map((r) => ({ Id: insert(t, r as Record<string, unknown>, user) }));
        return json(200, Array.isArray(body) ? out : out[0]);
      }
      if ((method === 'PATCH' || method === 'DELETE') && sub === undefined) {
        const rows = body as Record<string, unknown>[];
        if (!Array.isArray(rows)) return err(400, 'ERR_BAD_REQUEST', 'Expected an array');
        if (rows.length > 100) return err(422, 'ERR_MAX_PAYLOAD_LIMIT_EXCEEDED', 'Maximum 100 entities are allowed per request');
        for (const r of rows) {
          if (!t.rows.some((x) => x.Id === r.Id)) return err(404, 'ERR_RECORD_NOT_FOUND', `Record '${String(r.Id)}' not found`);
          if (method === 'PATCH') {
            const bad = checkRow(t, r, 'patch');
            if (bad) return bad;
          }
        }
        for (const r of rows) {
          const i = t.rows.findIndex((x) => x.Id === r.Id);
          if (method === 'PATCH') patch(t, t.rows[i]!, r, user);
          else t.rows.splice(i, 1);
        }
        return json(200, rows.map((r) => ({ Id: r.Id })));
      }
    }
    return err(404, 'ERR_NOT_FOUND', `Cannot ${method} ${path}`);
  }

  const emFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    const url = new URL(req.url);
    if (req.signal?.aborted) throw req.signal.reason ?? new DOMException('aborted', 'AbortError');
    const text = req.method === 'GET' ? '' : await req.text();
    let res: Response;
    if (nextAnswer) {
      const a = nextAnswer;
      nextAnswer = undefined;
      res = json(a.status, a.body ?? '', a.headers);
    } else {
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
        res = handle(req.method, url, body, req.headers);
      } catch {
        res = err(400, 'ERR_BAD_JSON', 'Invalid JSON');
      }
    }
    // Express (NocoDB's server) sends a Date header on every reply; ours is the emulator's clock.
    res.headers.set('date', new Date(clock).toUTCString());
    requests.push({ method: req.method, path: url.pathname, search: url.searchParams, status: res.status });
    if (loseReply && req.method !== 'GET') {
      loseReply = false;
      throw new TypeError('fetch failed (reply lost after the server committed)');
    }
    return res;
  }) as typeof fetch;

  const tableByTitle = (title: string) => [...tables.values()].find((t) => t.title === title);
  const asColleague = async (method: string, tableTitle: string, body: unknown): Promise<unknown> => {
    const t = tableByTitle(tableTitle);
    if (!t) throw new Error(`no table ${tableTitle}`);
    const res = await emFetch(`http://emulator.local/api/v2/tables/${t.id}/records`, {
      method,
      headers: { 'xc-token': colleagueToken, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const out = (await res.json()) as unknown;
    if (!res.ok) throw new Error(`colleague ${method} refused: ${res.status} ${JSON.stringify(out)}`);
    return out;
  };

  return {
    fetch: emFetch,
    token,
    colleagueToken,
    baseId,
    tables,
    requests,
    loseNextReply: () => {
      loseReply = true;
    },
    answerNext: (a) => {
      nextAnswer = a;
    },
    tableByTitle,
    now: () => clock,
    advance: (ms) => {
      clock += ms;
    },
    view: (title, id) => {
      const t = tableByTitle(title);
      const row = t?.rows.find((r) => r.Id === id);
      return t && row ? render(t, row) : undefined;
    },
    colleague: {
      insert: async (title, row) => ((await asColleague('POST', title, row)) as { Id: number }).Id,
      patch: async (title, id, values) => {
        await asColleague('PATCH', title, [{ ...values, Id: id }]);
      },
      remove: async (title, id) => {
        await asColleague('DELETE', title, [{ Id: id }]);
      },
    },
  };
}
