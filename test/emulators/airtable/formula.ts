// A subset of Airtable's formula language for filterByFormula, evaluated strictly: what the
// emulator does not know (a function, a field name, a malformed literal) is an error, never
// "matches everything". Semantics from support.airtable.com "Formula field reference" (read
// 2026-12-06): strings in "…" or '…' with backslash escapes; {Field name}; & concatenates;
// = compares (text case-sensitively; blank cells equal ""); FIND(needle, haystack) is 1-based,
// 0 when absent; RECORD_ID(); LAST_MODIFIED_TIME() (any field); IS_BEFORE/IS_AFTER;
// DATETIME_PARSE of an ISO string; LOWER; REGEX_REPLACE (RE2 → JS RegExp here); OR/AND/NOT.
export class FormulaError extends Error {}

type Value = string | number | boolean | Date | null;
export interface FormulaRow {
  id: string;
  modifiedAt: number;
  /** The cell as a formula sees it (text, number, date as Date, links as joined names), or undefined when blank. */
  cell(name: string): Value | undefined;
  hasField(name: string): boolean;
}

type Node =
  | { t: 'str'; v: string }
  | { t: 'num'; v: number }
  | { t: 'field'; name: string }
  | { t: 'call'; fn: string; args: Node[] }
  | { t: 'bin'; op: string; a: Node; b: Node };

function tokenize(src: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let s = c;
      for (;;) {
        if (j >= src.length) throw new FormulaError('unterminated string');
        const d = src[j]!;
        if (d === '\\') { s += d + (src[j + 1] ?? ''); j += 2; continue; }
        s += d;
        j++;
        if (d === c) break;
      }
      out.push(s);
      i = j;
      continue;
    }
    if (c === '{') {
      const j = src.indexOf('}', i);
      if (j < 0) throw new FormulaError('unterminated field reference');
      out.push(src.slice(i, j + 1));
      i = j + 1;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (['!=', '<=', '>='].includes(two)) { out.push(two); i += 2; continue; }
    if ('(),=&<>+-'.includes(c)) { out.push(c); i++; continue; }
    const m = /^[A-Za-z_][A-Za-z0-9_]*|^\d+(\.\d+)?/.exec(src.slice(i));
    if (!m) throw new FormulaError(`unexpected character ${c}`);
    out.push(m[0]);
    i += m[0].length;
  }
  return out;
}

function unquote(tok: string): string {
  return tok.slice(1, -1).replace(/\\(.)/g, (_, ch: string) => ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[ch] ?? ch);
}

export function parseFormula(src: string): Node {
  const toks = tokenize(src);
  let p = 0;
  const peek = () => toks[p];
  const take = (want?: string) => {
    const t = toks[p++];
    if (t === undefined || (want !== undefined && t !== want)) throw new FormulaError(`expected ${want ?? 'a token'}, got ${t ?? 'the end'}`);
    return t;
  };
  const primary = (): Node => {
    const t = take();
    if (t[0] === '"' || t[0] === "'") return { t: 'str', v: unquote(t) };
    if (t[0] === '{') return { t: 'field', name: t.slice(1, -1) };
    if (/^\d/.test(t)) return { t: 'num', v: Number(t) };
    if (t === '(') { const n = comparison(); take(')'); return n; }
    if (/^[A-Za-z_]/.test(t)) {
      take('(');
      const args: Node[] = [];
      if (peek() !== ')') for (;;) { args.push(comparison()); if (peek() === ',') { take(); continue; } break; }
      take(')');
      return { t: 'call', fn: t.toUpperCase(), args };
    }
    throw new FormulaError(`unexpected ${t}`);
  };
  const concat = (): Node => {
    let n = primary();
    while (peek() === '&' || peek() === '+' || peek() === '-') { const op = take(); n = { t: 'bin', op, a: n, b: primary() }; }
    return n;
  };
  const comparison = (): Node => {
    let n = concat();
    while (['=', '!=', '<', '>', '<=', '>='].includes(peek() ?? '')) { const op = take(); n = { t: 'bin', op, a: n, b: concat() }; }
    return n;
  };
  const n = comparison();
  if (p !== toks.length) throw new FormulaError(`unexpected ${toks[p]}`);
  return n;
}

const FUNCTIONS = new Set(['OR', 'AND', 'NOT', 'LOWER', 'FIND', 'REGEX_REPLACE', 'RECORD_ID', 'LAST_MODIFIED_TIME', 'IS_BEFORE', 'IS_AFTER', 'DATETIME_PARSE', 'TRUE', 'FALSE']);

/** Field names a formula references that the table lacks, and unknown functions: checked before any row. */
export function checkFormula(n: Node, hasField: (name: string) => boolean): void {
  if (n.t === 'field' && !hasField(n.name)) throw new FormulaError(`Unknown field names: ${n.name.toLowerCase()}`);
  if (n.t === 'call') {
    if (!FUNCTIONS.has(n.fn)) throw new FormulaError(`Unknown function names: ${n.fn}`);
    n.args.forEach((a) => checkFormula(a, hasField));
  }
  if (n.t === 'bin') { checkFormula(n.a, hasField); checkFormula(n.b, hasField); }
}

const asText = (v: Value | undefined): string => (v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : String(v));
const truthy = (v: Value | undefined) => !(v === null || v === undefined || v === '' || v === 0 || v === false);
const asTime = (v: Value | undefined): number => {
  if (v instanceof Date) return v.getTime();
  const t = typeof v === 'string' ? Date.parse(v) : NaN;
  if (Number.isNaN(t)) throw new FormulaError(`not a date: ${asText(v)}`);
  return t;
};

export function evaluate(n: Node, row: FormulaRow): Value {
  switch (n.t) {
    case 'str': return n.v;
    case 'num': return n.v;
    case 'field': return row.cell(n.name) ?? null;
    case 'bin': {
      const a = evaluate(n.a, row), b = evaluate(n.b, row);
      if (n.op === '&') return asText(a) + asText(b);
      if (n.op === '+' || n.op === '-') return Number(a) + (n.op === '+' ? 1 : -1) * Number(b);
      if (n.op === '=') return typeof a === 'number' && typeof b === 'number' ? a === b : asText(a) === asText(b);
      if (n.op === '!=') return asText(a) !== asText(b);
      const x = typeof a === 'number' ? a : asText(a), y = typeof b === 'number' ? b : asText(b);
      return n.op === '<' ? x < y : n.op === '>' ? x > y : n.op === '<=' ? x <= y : x >= y;
    }
    case 'call': {
      const args = () => n.args.map((a) => evaluate(a, row));
      const arity = (k: number) => { if (n.args.length !== k) throw new FormulaError(`${n.fn} takes ${k} arguments`); };
      switch (n.fn) {
        case 'OR': return n.args.some((a) => truthy(evaluate(a, row)));
        case 'AND': return n.args.every((a) => truthy(evaluate(a, row)));
        case 'NOT': arity(1); return !truthy(evaluate(n.args[0]!, row));
        case 'TRUE': return true;
        case 'FALSE': return false;
        case 'LOWER': arity(1); return asText(args()[0]).toLowerCase();
        case 'FIND': { const [needle, hay] = args(); return asText(hay).indexOf(asText(needle)) + 1; }
        case 'REGEX_REPLACE': { arity(3); const [s, re, rep] = args(); return asText(s).replace(new RegExp(asText(re), 'g'), asText(rep)); }
        case 'RECORD_ID': arity(0); return row.id;
        case 'LAST_MODIFIED_TIME': if (n.args.length) throw new FormulaError('LAST_MODIFIED_TIME with fields is not modelled'); return new Date(row.modifiedAt);
        case 'IS_BEFORE': { arity(2); const [a, b] = args(); return asTime(a) < asTime(b); }
        case 'IS_AFTER': { arity(2); const [a, b] = args(); return asTime(a) > asTime(b); }
        case 'DATETIME_PARSE': { const [s] = args(); const t = Date.parse(asText(s)); if (Number.isNaN(t)) throw new FormulaError('DATETIME_PARSE: not a date'); return new Date(t); }
        default: throw new FormulaError(`Unknown function names: ${n.fn}`);
      }
    }
  }
}

export function matches(n: Node, row: FormulaRow): boolean {
  return truthy(evaluate(n, row));
}
