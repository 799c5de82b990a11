// A small template language for CRM field mappings (seed 004: "客户咨询 - {{category}}",
// "{{messageContent|truncate:50}}"). Parsed once into parts, never evaluated as code: a
// template can only name a variable from variables.ts and pipe it through the filters below,
// so a mapping pasted from elsewhere cannot run anything.
//
//   template := text ( "{{" expr "}}" text )*
//   expr     := name ( "|" filter ( ":" arg ( "," arg )* )? )*
//   arg      := 'quoted' | "quoted" | bare   (bare: up to the next , | or }})
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { resolveVariable, VARIABLE_NAMES, type MappingContext, type Value, type VarKind } from './variables';

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

export interface MappingIssue {
  /** The CRM field whose template is wrong (absent for mapping-wide problems). */
  field?: string;
  message: string;
}

/** Lookup tables by name: 意向等级 → picklist value, e.g. { intent: { 高: 'Hot', 中: 'Warm', 低: 'Cold' } }. */
export type LookupTables = Readonly<Record<string, Readonly<Record<string, string>>>>;

interface Env {
  timeZone: string;
  lookups: LookupTables;
}

interface FilterDef {
  /** Argument check at compile time: an error message, or undefined when fine. */
  check(args: string[], lookups: LookupTables): string | undefined;
  apply(v: Value, args: string[], env: Env): Value;
}

const isEmpty = (v: Value) => v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
/** Bare rendering: times as ISO 8601 (what date/datetime CRM fields accept), lists comma-joined. */
function text(v: Value, kind: VarKind | 'text'): string {
  if (v === undefined) return '';
  if (Array.isArray(v)) return v.join(', ');
  if (kind === 'time' && typeof v === 'number') return new Date(v).toISOString();
  return String(v);
}

function validZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const DATE_TOKENS = /YYYY|MM|DD|HH|mm|ss/g;
/** Wall-clock parts in the zone, so 2026-03-05T23:30Z is 03-06 07:30 in Shanghai, not the runtime's zone. */
export function formatDate(ms: number, pattern: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(ms));
  const get = (t: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === t)?.value ?? '';
  const map: Record<string, string> = { YYYY: get('year'), MM: get('month'), DD: get('day'), HH: get('hour'), mm: get('minute'), ss: get('second') };
  return pattern.replace(DATE_TOKENS, (t) => map[t] ?? t);
}

const PHONE_FORMATS = ['e164', 'national', 'digits'] as const;

const FILTERS: Readonly<Record<string, FilterDef>> = {
  truncate: {
    check: ([n]) => (n !== undefined && /^[1-9]\d{0,5}$/.test(n) ? undefined : 'truncate 需要一个正整数 / truncate needs a positive whole number, e.g. truncate:50'),
    // Counted in characters (code points), not UTF-16 units: 50 Chinese characters are 50. The
    // ellipsis is inside the limit because the limit is usually the CRM field's maximum length.
    apply: (v, [n]) => {
      const s = text(v, 'text');
      const max = Number(n);
      const chars = Array.from(s);
      return chars.length <= max ? s : chars.slice(0, max - 1).join('') + '…';
    },
  },
  default: {
    check: (a) => (a.length === 1 ? undefined : "default 需要一个值 / default needs one value, e.g. default:'未知'"),
    apply: (v, [x]) => (isEmpty(v) ? x : v),
  },
  date: {
    check: ([p, tz, ...rest]) => {
      if (!p || rest.length) return "date 需要格式 / date needs a pattern, e.g. date:'YYYY-MM-DD HH:mm'";
      if (tz !== undefined && !validZone(tz)) return `未知时区 / unknown time zone: ${tz}`;
      return undefined;
    },
    apply: (v, [p, tz], env) => {
      const ms = typeof v === 'number' ? v : typeof v === 'string' && v ? Date.parse(v) : NaN;
      if (Number.isNaN(ms)) return typeof v === 'string' ? v : undefined;
      return formatDate(ms, p!, tz ?? env.timeZone);
    },
  },
  phone: {
    check: ([fmt, ...rest]) =>
      fmt && (PHONE_FORMATS as readonly string[]).includes(fmt) && !rest.length ? undefined : `phone 的格式只能是 / phone takes one of: ${PHONE_FORMATS.join(', ')}`,
    apply: (v, [fmt]) => {
      if (isEmpty(v)) return v;
      const raw = text(v, 'text');
      // Phones are stored as E.164; China is only the fallback region for numbers typed without +.
      const p = parsePhoneNumberFromString(raw, 'CN');
      if (fmt === 'digits') return p ? String(p.nationalNumber) : raw.replace(/\D/g, '');
      if (!p) return raw;
      return fmt === 'e164' ? p.number : p.formatNational();
    },
  },
  lookup: {
    check: ([t, ...rest], lookups) => {
      if (!t || rest.length) return 'lookup 需要一个表名 / lookup needs a table name, e.g. lookup:intent';
      return Object.hasOwn(lookups, t) ? undefined : `未知的对照表 / unknown lookup table: ${t}${Object.keys(lookups).length ? ` (have: ${Object.keys(lookups).join(', ')})` : ''}`;
    },
    // A value missing from the table renders empty (a picklist refuses values it does not know),
    // so `|default:'x'` can name the fallback; a '*' row is the table's own fallback.
    apply: (v, [t], env) => {
      if (isEmpty(v)) return v;
      const table = env.lookups[t!] ?? {};
      const key = text(v, 'text');
      return Object.hasOwn(table, key) ? table[key] : Object.hasOwn(table, '*') ? table['*'] : '';
    },
  },
  upper: { check: (a) => (a.length ? 'upper takes no argument' : undefined), apply: (v) => (isEmpty(v) ? v : text(v, 'text').toUpperCase()) },
  lower: { check: (a) => (a.length ? 'lower takes no argument' : undefined), apply: (v) => (isEmpty(v) ? v : text(v, 'text').toLowerCase()) },
  join: {
    check: (a) => (a.length === 1 ? undefined : "join 需要分隔符 / join needs a separator, e.g. join:';'"),
    apply: (v, [sep]) => (Array.isArray(v) ? v.join(sep) : v),
  },
};
export const FILTER_NAMES: readonly string[] = Object.keys(FILTERS);

interface Expr {
  path: string;
  kind: VarKind;
  get(ctx: MappingContext): Value;
  filters: { name: string; args: string[]; def: FilterDef }[];
}
export interface CompiledTemplate {
  source: string;
  parts: (string | Expr)[];
  /** Variable paths used, for the editor. */
  variables: string[];
}

/** The closest known name, for "did you mean" (edit distance ≤ 3). */
function suggest(name: string, names: readonly string[]): string | undefined {
  let best: { n: string; d: number } | undefined;
  for (const n of names) {
    const d = distance(name.toLowerCase(), n.toLowerCase());
    if (d <= 3 && (!best || d < best.d)) best = { n, d };
  }
  return best?.n;
}
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** Splits an expression on a separator outside quotes. */
function splitOutside(s: string, sep: string): string[] | string {
  const out: string[] = [];
  let cur = '';
  let quote: string | undefined;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (quote) {
      if (ch === '\\' && i + 1 < s.length) {
        cur += ch + s[++i];
        continue;
      }
      if (ch === quote) quote = undefined;
      cur += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      cur += ch;
    } else if (ch === sep) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (quote) return `未闭合的引号 / unterminated quote in "${s.trim()}"`;
  out.push(cur);
  return out;
}

function unquote(raw: string): string | { error: string } {
  const s = raw.trim();
  const q = s[0];
  if (q === "'" || q === '"') {
    if (s.length < 2 || s[s.length - 1] !== q) return { error: `参数引号不匹配 / bad quoting: ${s}` };
    return s.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return s;
}

function compileExpr(src: string, lookups: LookupTables, issues: string[]): Expr | undefined {
  const pipes = splitOutside(src, '|');
  if (typeof pipes === 'string') return void issues.push(pipes);
  const [head = '', ...rest] = pipes;
  const name = head.trim();
  if (!/^[A-Za-z_][\w.]*$/.test(name)) return void issues.push(`变量名无效 / not a variable name: "{{${src.trim()}}}"`);
  const v = resolveVariable(name);
  if (!v) {
    const hint = suggest(name, VARIABLE_NAMES);
    issues.push(`未知变量 / unknown variable: ${name}${hint ? ` (did you mean ${hint}?)` : ''}`);
  }
  const filters: Expr['filters'] = [];
  for (const f of rest) {
    const colon = f.indexOf(':');
    const fname = (colon < 0 ? f : f.slice(0, colon)).trim();
    const def = Object.hasOwn(FILTERS, fname) ? FILTERS[fname] : undefined;
    if (!def) {
      const hint = suggest(fname, FILTER_NAMES);
      issues.push(`未知过滤器 / unknown filter: ${fname || '(empty)'}${hint ? ` (did you mean ${hint}?)` : ''}; known: ${FILTER_NAMES.join(', ')}`);
      continue;
    }
    const rawArgs = colon < 0 ? [] : splitOutside(f.slice(colon + 1), ',');
    if (typeof rawArgs === 'string') {
      issues.push(rawArgs);
      continue;
    }
    const args: string[] = [];
    for (const a of rawArgs) {
      const u = unquote(a);
      if (typeof u === 'string') args.push(u);
      else issues.push(u.error);
    }
    const bad = def.check(args, lookups);
    if (bad) issues.push(bad);
    filters.push({ name: fname, args, def });
  }
  return v ? { path: v.path, kind: v.def.kind, get: v.def.get, filters } : undefined;
}

/** Parses a template; problems are returned as messages (all of them, not just the first). */
export function compileTemplate(source: string, lookups: LookupTables = {}): { template?: CompiledTemplate; issues: string[] } {
  const issues: string[] = [];
  const parts: CompiledTemplate['parts'] = [];
  let i = 0;
  while (i < source.length) {
    const open = source.indexOf('{{', i);
    if (open < 0) {
      parts.push(source.slice(i));
      break;
    }
    if (open > i) parts.push(source.slice(i, open));
    const close = source.indexOf('}}', open + 2);
    if (close < 0) {
      issues.push(`缺少 }} / "{{" without "}}" at ${open}`);
      break;
    }
    const e = compileExpr(source.slice(open + 2, close), lookups, issues);
    if (e) parts.push(e);
    i = close + 2;
  }
  if (issues.length) return { issues };
  const variables = [...new Set(parts.filter((p): p is Expr => typeof p !== 'string').map((p) => p.path))];
  return { template: { source, parts, variables }, issues };
}

/**
 * Renders a template. A template that is exactly one expression keeps a number as a number
 * (amount → a CRM number field); anything else is text.
 */
export function renderTemplate(t: CompiledTemplate, ctx: MappingContext, lookups: LookupTables = {}): string | number {
  const env: Env = { timeZone: ctx.timeZone ?? DEFAULT_TIME_ZONE, lookups };
  const one = (e: Expr): Value => {
    let v = e.get(ctx);
    for (const f of e.filters) v = f.def.apply(v, f.args, env);
    return v;
  };
  const only = t.parts.length === 1 ? t.parts[0] : undefined;
  if (only && typeof only !== 'string') {
    const v = one(only);
    return typeof v === 'number' && only.kind !== 'time' ? v : text(v, only.kind);
  }
  return t.parts.map((p) => (typeof p === 'string' ? p : text(one(p), p.kind))).join('');
}
