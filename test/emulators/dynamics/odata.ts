// The OData query subset the Dataverse emulator understands, parsed strictly: $select, $filter
// (comparisons eq ne gt ge lt le joined by and / or, parentheses, not; string literals with ''
// as the escaped quote; GUID, DateTimeOffset, number, null and true/false literals; the
// functions contains, startswith, endswith), $orderby, $top. Anything else is refused as the
// service refuses it (query-data-web-api, "Filter rows" and "Standard filter operators", read
// 2026-12-06): an unknown column → 0x80060888 "Could not find a property named 'x' on type
// 'Microsoft.Dynamics.CRM.contact'."; an unsupported function or a syntax error → 0x80060888 /
// 0x8006088a with the service's wording.
export class ODataError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Lit = string | number | boolean | null;
export type Expr =
  | { op: 'and' | 'or'; left: Expr; right: Expr }
  | { op: 'not'; expr: Expr }
  | { op: 'cmp'; cmp: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'; attr: string; value: Lit; kind: 'string' | 'guid' | 'datetime' | 'number' | 'null' | 'bool' }
  | { op: 'fn'; fn: 'contains' | 'startswith' | 'endswith'; attr: string; value: string };

type Tok = { t: 'id' | 'str' | 'lit' | '(' | ')' | ','; v: string };

const SUPPORTED_FNS = new Set(['contains', 'startswith', 'endswith']);
/** Functions OData defines that Dataverse's $filter refuses or that this emulator does not model: refused either way. */
function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ') {
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      out.push({ t: c, v: c });
      i++;
      continue;
    }
    if (c === "'") {
      let s = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new ODataError('0x80060888', 'Syntax error: character \'\'\' is not valid at position ' + src.length + " in '" + src + "'.");
        if (src[i] === "'") {
          if (src[i + 1] === "'") {
            s += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        s += src[i++];
      }
      out.push({ t: 'str', v: s });
      continue;
    }
    const m = /^[A-Za-z0-9_.:+\-@]+/.exec(src.slice(i));
    if (!m) throw new ODataError('0x80060888', `Syntax error at position ${i} in '${src}'.`);
    const w = m[0];
    out.push({ t: /^[A-Za-z_][\w]*$/.test(w) ? 'id' : 'lit', v: w });
    i += w.length;
  }
  return out;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

export function parseFilter(src: string, hasAttr: (a: string) => boolean, type: string): Expr {
  const toks = tokenize(src);
  let p = 0;
  const peek = () => toks[p];
  const need = (t: Tok['t']) => {
    const k = toks[p++];
    if (!k || k.t !== t) throw new ODataError('0x80060888', `Syntax error: expected '${t}' at token ${p} in '${src}'.`);
    return k;
  };
  const attr = (name: string) => {
    if (!hasAttr(name)) throw new ODataError('0x80060888', `Could not find a property named '${name}' on type 'Microsoft.Dynamics.CRM.${type}'.`);
    return name;
  };
  function literal(): { value: Lit; kind: Extract<Expr, { op: 'cmp' }>['kind'] } {
    const k = toks[p++];
    if (!k) throw new ODataError('0x80060888', `Syntax error: a literal is missing at the end of '${src}'.`);
    if (k.t === 'str') return { value: k.v, kind: 'string' };
    if (k.t === 'id' && k.v === 'null') return { value: null, kind: 'null' };
    if (k.t === 'id' && (k.v === 'true' || k.v === 'false')) return { value: k.v === 'true', kind: 'bool' };
    if (GUID.test(k.v)) return { value: k.v.toLowerCase(), kind: 'guid' };
    if (DT.test(k.v) && !Number.isNaN(Date.parse(k.v))) return { value: k.v, kind: 'datetime' };
    if (/^-?\d+(\.\d+)?$/.test(k.v)) return { value: Number(k.v), kind: 'number' };
    throw new ODataError('0x80060888', `Syntax error: '${k.v}' is not a valid literal in '${src}'.`);
  }
  function primary(): Expr {
    const k = peek();
    if (!k) throw new ODataError('0x80060888', `Syntax error: unexpected end of '${src}'.`);
    if (k.t === '(') {
      p++;
      const e = or();
      need(')');
      return e;
    }
    if (k.t === 'id' && k.v === 'not') {
      p++;
      return { op: 'not', expr: primary() };
    }
    if (k.t === 'id' && toks[p + 1]?.t === '(') {
      p += 2;
      if (!SUPPORTED_FNS.has(k.v)) throw new ODataError('0x80060888', `An unknown function with name '${k.v}' was found. This may also be a function import or a key lookup on a navigation property, which is not allowed.`);
      const a = attr(need('id').v);
      need(',');
      const s = need('str').v;
      need(')');
      return { op: 'fn', fn: k.v as 'contains', attr: a, value: s };
    }
    if (k.t !== 'id') throw new ODataError('0x80060888', `Syntax error: '${k.v}' is not valid at token ${p} in '${src}'.`);
    p++;
    const a = attr(k.v);
    const op = need('id').v;
    if (!['eq', 'ne', 'gt', 'ge', 'lt', 'le'].includes(op)) throw new ODataError('0x80060888', `Syntax error: '${op}' is not a comparison operator in '${src}'.`);
    return { op: 'cmp', cmp: op as 'eq', attr: a, ...literal() };
  }
  function and(): Expr {
    let left = primary();
    while (peek()?.t === 'id' && peek()!.v === 'and') {
      p++;
      left = { op: 'and', left, right: primary() };
    }
    return left;
  }
  function or(): Expr {
    let left = and();
    while (peek()?.t === 'id' && peek()!.v === 'or') {
      p++;
      left = { op: 'or', left, right: and() };
    }
    return left;
  }
  const e = or();
  if (p !== toks.length) throw new ODataError('0x80060888', `Syntax error: '${toks[p]!.v}' is not valid at token ${p} in '${src}'.`);
  return e;
}

function compare(a: unknown, b: Lit, kind: string): number | undefined {
  if (a === null || a === undefined) return b === null ? 0 : undefined;
  if (b === null) return undefined;
  if (kind === 'datetime') return Date.parse(String(a)) - Date.parse(String(b));
  if (kind === 'number') return Number(a) - (b as number);
  const x = String(a).toLowerCase();
  const y = String(b).toLowerCase(); // Dataverse string comparisons are case-insensitive (default collation)
  return x < y ? -1 : x > y ? 1 : 0;
}

export function matches(e: Expr, row: Record<string, unknown>): boolean {
  switch (e.op) {
    case 'and':
      return matches(e.left, row) && matches(e.right, row);
    case 'or':
      return matches(e.left, row) || matches(e.right, row);
    case 'not':
      return !matches(e.expr, row);
    case 'fn': {
      const v = row[e.attr];
      if (typeof v !== 'string') return false;
      const x = v.toLowerCase();
      const y = e.value.toLowerCase();
      return e.fn === 'contains' ? x.includes(y) : e.fn === 'startswith' ? x.startsWith(y) : x.endsWith(y);
    }
    case 'cmp': {
      const c = compare(row[e.attr], e.value, e.kind);
      if (c === undefined) return e.cmp === 'ne';
      return { eq: c === 0, ne: c !== 0, gt: c > 0, ge: c >= 0, lt: c < 0, le: c <= 0 }[e.cmp];
    }
  }
}

export function parseSelect(src: string, hasAttr: (a: string) => boolean, type: string): string[] {
  const cols = src.split(',').map((s) => s.trim());
  for (const c of cols) if (!c || !hasAttr(c)) throw new ODataError('0x80060888', `Could not find a property named '${c}' on type 'Microsoft.Dynamics.CRM.${type}'.`);
  return cols;
}

export function parseOrderBy(src: string, hasAttr: (a: string) => boolean, type: string): { attr: string; desc: boolean }[] {
  return src.split(',').map((part) => {
    const [attr, dir, extra] = part.trim().split(/\s+/);
    if (!attr || extra !== undefined || (dir !== undefined && dir !== 'asc' && dir !== 'desc')) throw new ODataError('0x80060888', `Syntax error in $orderby '${src}'.`);
    if (!hasAttr(attr)) throw new ODataError('0x80060888', `Could not find a property named '${attr}' on type 'Microsoft.Dynamics.CRM.${type}'.`);
    return { attr, desc: dir === 'desc' };
  });
}
