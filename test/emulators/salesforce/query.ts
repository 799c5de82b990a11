// A strict subset of SOQL and SOSL, enough for what the connector sends — and strict enough that
// an unescaped quote (SOQL injection), an unescaped reserved character, a quoted or zone-less
// datetime, or AND mixed with OR without parentheses is refused, as Salesforce refuses it:
//   SELECT path, path… FROM Object
//     [WHERE cond (AND cond)… | cond (OR cond)…]   cond: path op value
//     [ORDER BY path [ASC|DESC] [NULLS FIRST|LAST], …] [LIMIT n]
//   FIND {term} IN PHONE FIELDS RETURNING Object(f1, f2)[, Object(f…)] [LIMIT n]
// path: Field or Relationship.Field (CreatedBy.Name); op: = != <> < <= > >=; value: 'string',
// true/false, null, a number, a date (YYYY-MM-DD) or a datetime (YYYY-MM-DDThh:mm:ss[.fff](Z|±hh:mm)),
// dates and datetimes unquoted.
// Sources (read 2026-12-06): SOQL and SOSL Reference, "Date Formats and Date Literals"
// (sforce_api_calls_soql_select_dateformats.htm: the three datetime forms, "don't use quotes
// around the date"); "Conditional Expression Syntax (WHERE)" (parentheses required to mix AND
// and OR); "ORDER BY" (ASC default, nulls first by default). A zone-less datetime answering
// MALFORMED_QUERY "no viable alternative at character" is from a developer's report of the real
// API (salesforce.stackexchange, "Datetime representation in SOQL executed via REST API").

export class QueryError extends Error {
  constructor(readonly errorCode: 'MALFORMED_QUERY' | 'MALFORMED_SEARCH' | 'INVALID_FIELD' | 'INVALID_TYPE', message: string) {
    super(message);
  }
}

export type SoqlValue =
  | { kind: 'string'; value: string }
  | { kind: 'datetime'; ms: number; text: string }
  | { kind: 'date'; text: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'number'; value: number }
  | { kind: 'null' };
export type SoqlOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export interface SoqlCondition {
  field: string;
  op: SoqlOp;
  value: SoqlValue;
}

export interface Soql {
  fields: string[];
  object: string;
  where: SoqlCondition[];
  /** How `where` combines (one connective per query: mixing needs parentheses, which this subset refuses). */
  connective: 'AND' | 'OR';
  orderBy: { field: string; desc: boolean; nullsLast: boolean }[];
  limit?: number;
}

const SOQL_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '"': '"', "'": "'", '\\': '\\', _: '\\_', '%': '\\%' };

class Scanner {
  i = 0;
  constructor(readonly s: string, readonly code: 'MALFORMED_QUERY' | 'MALFORMED_SEARCH') {}
  ws() {
    while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++;
  }
  fail(what: string): never {
    throw new QueryError(this.code, `unexpected token: '${this.s.slice(this.i, this.i + 20)}' (expected ${what})`);
  }
  keyword(k: string): boolean {
    this.ws();
    const re = new RegExp(`^${k}(?![\\w])`, 'i');
    const m = re.exec(this.s.slice(this.i));
    if (!m) return false;
    this.i += m[0].length;
    return true;
  }
  expectKeyword(k: string) {
    if (!this.keyword(k)) this.fail(k);
  }
  ident(): string {
    this.ws();
    const m = /^[A-Za-z][A-Za-z0-9_]*/.exec(this.s.slice(this.i));
    if (!m) this.fail('a name');
    this.i += m[0].length;
    return m[0];
  }
  /** Field or Relationship.Field. */
  path(): string {
    let p = this.ident();
    while (this.s[this.i] === '.') {
      this.i++;
      p += `.${this.ident()}`;
    }
    return p;
  }
  char(c: string): boolean {
    this.ws();
    if (this.s[this.i] === c) {
      this.i++;
      return true;
    }
    return false;
  }
  expectChar(c: string) {
    if (!this.char(c)) this.fail(`'${c}'`);
  }
  number(): number {
    this.ws();
    const m = /^\d+/.exec(this.s.slice(this.i));
    if (!m) this.fail('a number');
    this.i += m[0].length;
    return Number(m[0]);
  }
  end() {
    this.ws();
    if (this.i < this.s.length) this.fail('end of query');
  }
  op(): SoqlOp {
    this.ws();
    const m = /^(<=|>=|!=|<>|=|<|>)/.exec(this.s.slice(this.i));
    if (!m) this.fail('an operator');
    this.i += m[0].length;
    return m[0] === '<>' ? '!=' : (m[0] as SoqlOp);
  }
  /** A SOQL string literal: '…' with backslash escapes; an unescaped ' ends it. */
  literal(): string {
    this.ws();
    if (this.s[this.i] !== "'") this.fail('a quoted string');
    this.i++;
    let out = '';
    for (;;) {
      const c = this.s[this.i++];
      if (c === undefined) throw new QueryError(this.code, 'unterminated string literal');
      if (c === "'") return out;
      if (c === '\\') {
        const e = this.s[this.i++];
        const v = e === undefined ? undefined : SOQL_ESCAPES[e];
        if (v === undefined) throw new QueryError(this.code, `invalid escape sequence \\${e ?? ''}`);
        out += v;
      } else out += c;
    }
  }
  value(): SoqlValue {
    this.ws();
    if (this.s[this.i] === "'") return { kind: 'string', value: this.literal() };
    if (this.keyword('null')) return { kind: 'null' };
    if (this.keyword('true')) return { kind: 'boolean', value: true };
    if (this.keyword('false')) return { kind: 'boolean', value: false };
    const m = /^[0-9][0-9A-Za-z:.+\-]*/.exec(this.s.slice(this.i));
    if (!m) this.fail('a value');
    const token = m[0];
    const at = this.i;
    this.i += token.length;
    if (/^\d+(\.\d+)?$/.test(token)) return { kind: 'number', value: Number(token) };
    if (/^\d{4}-\d{2}-\d{2}$/.test(token)) {
      if (!validDay(token)) throw new QueryError('MALFORMED_QUERY', `Invalid date: ${token}`);
      return { kind: 'date', text: token };
    }
    const dt = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(token);
    if (!dt) {
      this.i = at;
      throw new QueryError('MALFORMED_QUERY', `line 1:${at} no viable alternative at character '${token.slice(0, 25)}'`);
    }
    const [, day, hh, mm, ss, frac, zone] = dt;
    if (!validDay(day!) || Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 59) throw new QueryError('MALFORMED_QUERY', `Invalid datetime: ${token}`);
    if (zone !== 'Z' && (Number(zone!.slice(1, 3)) > 14 || Number(zone!.slice(4)) > 59)) throw new QueryError('MALFORMED_QUERY', `Invalid datetime: ${token}`);
    const ms = Date.parse(`${day}T${hh}:${mm}:${ss}${frac ? frac.slice(0, 4).padEnd(4, '0') : ''}${zone}`);
    if (Number.isNaN(ms)) throw new QueryError('MALFORMED_QUERY', `Invalid datetime: ${token}`);
    return { kind: 'datetime', ms, text: token };
  }
}

function validDay(day: string): boolean {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function parseSoql(q: string): Soql {
  const s = new Scanner(q, 'MALFORMED_QUERY');
  s.expectKeyword('SELECT');
  const fields = [s.path()];
  while (s.char(',')) fields.push(s.path());
  s.expectKeyword('FROM');
  const object = s.ident();
  const where: SoqlCondition[] = [];
  let connective: 'AND' | 'OR' = 'AND';
  if (s.keyword('WHERE')) {
    const cond = (): SoqlCondition => {
      const field = s.path();
      const op = s.op();
      return { field, op, value: s.value() };
    };
    where.push(cond());
    let seen: 'AND' | 'OR' | undefined;
    for (;;) {
      const next = s.keyword('AND') ? 'AND' : s.keyword('OR') ? 'OR' : undefined;
      if (!next) break;
      if (seen && seen !== next) throw new QueryError('MALFORMED_QUERY', `unexpected token: '${next}' (AND and OR need parentheses to be combined)`);
      seen = next;
      where.push(cond());
    }
    connective = seen ?? 'AND';
  }
  const orderBy: Soql['orderBy'] = [];
  if (s.keyword('ORDER')) {
    s.expectKeyword('BY');
    do {
      const field = s.path();
      const desc = s.keyword('DESC') ? true : (s.keyword('ASC'), false);
      let nullsLast = false;
      if (s.keyword('NULLS')) {
        if (s.keyword('LAST')) nullsLast = true;
        else s.expectKeyword('FIRST');
      }
      orderBy.push({ field, desc, nullsLast });
    } while (s.char(','));
  }
  let limit: number | undefined;
  if (s.keyword('LIMIT')) limit = s.number();
  s.end();
  return { fields, object, where, connective, orderBy, ...(limit !== undefined ? { limit } : {}) };
}

export interface Sosl {
  term: string;
  returning: { object: string; fields: string[] }[];
  limit?: number;
}

const SOSL_RESERVED = new Set(['?', '&', '|', '!', '{', '}', '[', ']', '(', ')', '^', '~', '*', ':', '\\', '"', "'", '+', '-']);

export function parseSosl(q: string): Sosl {
  const s = new Scanner(q, 'MALFORMED_SEARCH');
  s.expectKeyword('FIND');
  s.expectChar('{');
  let term = '';
  for (;;) {
    const c = s.s[s.i++];
    if (c === undefined) throw new QueryError('MALFORMED_SEARCH', 'missing } after the search term');
    if (c === '}') break;
    if (c === '\\') {
      const e = s.s[s.i++];
      if (e === undefined || !SOSL_RESERVED.has(e)) throw new QueryError('MALFORMED_SEARCH', `invalid escape sequence \\${e ?? ''}`);
      term += e;
    } else if (SOSL_RESERVED.has(c) && c !== '*' && c !== '?') {
      throw new QueryError('MALFORMED_SEARCH', `reserved character '${c}' must be escaped`);
    } else term += c;
  }
  if (term.trim().length < 2) throw new QueryError('MALFORMED_SEARCH', 'search term must be longer than one character');
  s.expectKeyword('IN');
  s.expectKeyword('PHONE');
  s.expectKeyword('FIELDS');
  s.expectKeyword('RETURNING');
  const returning: Sosl['returning'] = [];
  do {
    const object = s.ident();
    const fields: string[] = [];
    if (s.char('(')) {
      fields.push(s.ident());
      while (s.char(',')) fields.push(s.ident());
      s.expectChar(')');
    }
    returning.push({ object, fields: fields.length ? fields : ['Id'] });
  } while (s.char(','));
  let limit: number | undefined;
  if (s.keyword('LIMIT')) limit = s.number();
  s.end();
  return { term: term.trim(), returning, ...(limit !== undefined ? { limit } : {}) };
}
