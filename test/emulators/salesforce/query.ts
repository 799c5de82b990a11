// A strict subset of SOQL and SOSL, enough for what the connector sends — and strict enough that
// an unescaped quote (SOQL injection) or an unescaped reserved character is MALFORMED, as it is
// in Salesforce:
//   SELECT f1, f2 FROM Object [WHERE Field = 'literal' [OR Field = 'literal']...] [LIMIT n]
//   FIND {term} IN PHONE FIELDS RETURNING Object(f1, f2)[, Object(f…)] [LIMIT n]

export class QueryError extends Error {
  constructor(readonly errorCode: 'MALFORMED_QUERY' | 'MALFORMED_SEARCH' | 'INVALID_FIELD' | 'INVALID_TYPE', message: string) {
    super(message);
  }
}

export interface Soql {
  fields: string[];
  object: string;
  where: { field: string; value: string }[];
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
}

export function parseSoql(q: string): Soql {
  const s = new Scanner(q, 'MALFORMED_QUERY');
  s.expectKeyword('SELECT');
  const fields = [s.ident()];
  while (s.char(',')) fields.push(s.ident());
  s.expectKeyword('FROM');
  const object = s.ident();
  const where: Soql['where'] = [];
  if (s.keyword('WHERE')) {
    do {
      const field = s.ident();
      s.expectChar('=');
      where.push({ field, value: s.literal() });
    } while (s.keyword('OR'));
  }
  let limit: number | undefined;
  if (s.keyword('LIMIT')) limit = s.number();
  s.end();
  return { fields, object, where, ...(limit !== undefined ? { limit } : {}) };
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
