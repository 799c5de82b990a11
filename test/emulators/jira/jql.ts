// The subset of JQL the emulator implements, parsed strictly (support.atlassian.com "Use advanced
// search with Jira Query Language (JQL)", "JQL fields", "JQL operators", read 2026-12-06):
//   query   := clause (AND clause)* [ORDER BY field [ASC|DESC] (, field [ASC|DESC])*]
//   clause  := field "=" value | field "!=" value | field IN "(" value ("," value)* ")"
//   field   := project | labels | key | issuekey | status | statusCategory | reporter
//   value   := "quoted string" | 'quoted string' | bare word (letters, digits, - _ .) | currentUser()
// Everything else (OR, NOT, parentheses, ~, <, functions but currentUser(), other fields) is
// refused with Jira's 400 body shape and a message that says the emulator does not implement it,
// so a query the adapter starts to send is never answered by a guess. A query with no clause is
// refused as Jira's /search/jql refuses unbounded queries.

export interface Clause { field: string; op: '=' | '!=' | 'in'; values: string[] }
export interface Query { clauses: Clause[]; order: { field: string; dir: 'asc' | 'desc' }[] }
export class JqlError extends Error {}

const FIELDS = new Set(['project', 'labels', 'key', 'issuekey', 'status', 'statuscategory', 'reporter']);
const ORDER_FIELDS = new Set(['created', 'updated', 'key']);

type Tok = { t: 'word' | 'str' | 'op' | 'punct'; v: string; at: number };

function lex(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if (c === '"' || c === "'") {
      let v = '';
      let j = i + 1;
      for (; j < s.length && s[j] !== c; j++) {
        if (s[j] === '\\') { j++; if (j >= s.length) break; }
        v += s[j];
      }
      if (j >= s.length) throw new JqlError(`Error in the JQL Query: The quoted string starting at character ${i + 1} is not terminated.`);
      out.push({ t: 'str', v, at: i });
      i = j + 1;
      continue;
    }
    const two = s.slice(i, i + 2);
    if (two === '!=' || two === '>=' || two === '<=' || two === '!~') { out.push({ t: 'op', v: two, at: i }); i += 2; continue; }
    if ('=~<>'.includes(c)) { out.push({ t: 'op', v: c, at: i }); i++; continue; }
    if ('(),'.includes(c)) { out.push({ t: 'punct', v: c, at: i }); i++; continue; }
    const m = /^[\p{L}\p{N}_.\-]+/u.exec(s.slice(i));
    if (!m) throw new JqlError(`Error in the JQL Query: The character '${c}' is a reserved JQL character. You must enclose it in a string or use the escape '\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}' instead. (line 1, character ${i + 1})`);
    out.push({ t: 'word', v: m[0], at: i });
    i += m[0].length;
  }
  return out;
}

const notImplemented = (what: string) => new JqlError(`The Jira emulator does not implement ${what} in JQL (it implements: field = / != / in (…) joined by AND, ORDER BY).`);

export function parseJql(jql: string): Query {
  const toks = lex(jql);
  let p = 0;
  const peek = () => toks[p];
  const word = (w: string) => peek()?.t === 'word' && peek()!.v.toLowerCase() === w;
  const clauses: Clause[] = [];
  const order: Query['order'] = [];
  const value = (): string => {
    const t = toks[p++];
    if (!t) throw new JqlError('Error in the JQL Query: Expecting either a value, list or function but got end of query.');
    if (t.t === 'str') return t.v;
    if (t.t === 'word') {
      if (toks[p]?.v === '(') {
        if (t.v.toLowerCase() !== 'currentuser') throw notImplemented(`the function ${t.v}()`);
        p++;
        if (toks[p++]?.v !== ')') throw new JqlError('Error in the JQL Query: Expecting \')\'.');
        return '\u0000currentUser';
      }
      return t.v;
    }
    throw new JqlError(`Error in the JQL Query: Expecting either a value, list or function but got '${t.v}'. (line 1, character ${t.at + 1})`);
  };
  while (p < toks.length && !word('order')) {
    if (clauses.length) {
      if (word('or')) throw notImplemented('OR');
      if (!word('and')) throw new JqlError(`Error in the JQL Query: Expecting either 'OR' or 'AND' but got '${peek()!.v}'. (line 1, character ${peek()!.at + 1})`);
      p++;
    }
    const f = toks[p++];
    if (!f || (f.t !== 'word' && f.t !== 'str')) {
      if (f?.v === '(') throw notImplemented('parentheses');
      throw new JqlError(`Error in the JQL Query: Expecting a field name but got '${f?.v ?? 'end of query'}'.`);
    }
    if (f.t === 'word' && f.v.toLowerCase() === 'not') throw notImplemented('NOT');
    const field = f.v.toLowerCase();
    if (!FIELDS.has(field)) {
      if (/^(summary|text|description|created|updated|assignee|priority|issuetype|type|duedate|cf\[\d+\]|customfield_\d+)$/i.test(f.v)) throw notImplemented(`the field "${f.v}"`);
      throw new JqlError(`Field '${f.v}' does not exist or you do not have permission to view it.`);
    }
    const op = toks[p++];
    if (!op) throw new JqlError(`Error in the JQL Query: Expecting operator but got end of query.`);
    if (op.t === 'op' && (op.v === '=' || op.v === '!=')) clauses.push({ field, op: op.v, values: [value()] });
    else if (op.t === 'word' && op.v.toLowerCase() === 'in') {
      if (toks[p]?.t === 'word' && toks[p + 1]?.v === '(') throw notImplemented(`the function ${toks[p]!.v}()`);
      if (toks[p++]?.v !== '(') throw new JqlError("Error in the JQL Query: Expecting '(' after IN.");
      const values = [value()];
      while (toks[p]?.v === ',') { p++; values.push(value()); }
      if (toks[p++]?.v !== ')') throw new JqlError("Error in the JQL Query: Expecting ')' to close the list.");
      clauses.push({ field, op: 'in', values });
    } else if (op.t === 'op' || (op.t === 'word' && /^(is|not|was|changed)$/i.test(op.v))) throw notImplemented(`the operator "${op.v}"`);
    else throw new JqlError(`Error in the JQL Query: Expecting operator but got '${op.v}'. (line 1, character ${op.at + 1})`);
  }
  if (word('order')) {
    p++;
    if (!word('by')) throw new JqlError("Error in the JQL Query: Expecting 'by' after 'order'.");
    p++;
    do {
      if (toks[p]?.v === ',') p++;
      const f = toks[p++];
      if (!f || f.t !== 'word') throw new JqlError('Error in the JQL Query: Expecting a field name after ORDER BY.');
      if (!ORDER_FIELDS.has(f.v.toLowerCase())) throw notImplemented(`ordering by "${f.v}"`);
      let dir: 'asc' | 'desc' = 'asc';
      if (word('asc') || word('desc')) dir = toks[p++]!.v.toLowerCase() as 'asc' | 'desc';
      order.push({ field: f.v.toLowerCase(), dir });
    } while (toks[p]?.v === ',');
    if (p < toks.length) throw new JqlError(`Error in the JQL Query: Expecting end of query after ORDER BY but got '${toks[p]!.v}'.`);
  }
  if (!clauses.length) throw new JqlError('Unbounded JQL queries are not allowed here. Please add a search restriction to your query.');
  return { clauses, order };
}
