// Zoho's search criteria as the emulator understands them (v8 "Search Records" page, read
// 2026-12-06): (field:operator:value), groups ((a)and(b)) / (a)or(b), one connective per group;
// values escape ( ) , : and backslash with a backslash, an unescaped ( or , inside a value is
// refused (INVALID_QUERY), as Zoho refuses it. Operators: equals and starts_with (case-insensitive
// on text), greater_equal on Modified_Time.
export interface CriteriaRow { id: string; values: Record<string, unknown>; Modified_Time: number }

/** A predicate for the criteria, or why they are malformed. */
export function parseCriteria(s: string): ((r: CriteriaRow) => boolean) | string {
  let i = 0;
  const expr = (): ((r: CriteriaRow) => boolean) | string => {
    const parts: ((r: CriteriaRow) => boolean)[] = [];
    const ops: string[] = [];
    for (;;) {
      if (s[i] !== '(') return `expected ( at ${i}`;
      i++;
      let one: ((r: CriteriaRow) => boolean) | string;
      if (s[i] === '(') {
        one = expr();
      } else {
        let raw = '';
        const pieces: string[] = [];
        while (i < s.length && s[i] !== ')') {
          if (s[i] === '\\' && i + 1 < s.length) { raw += s[i + 1]; i += 2; continue; }
          if (s[i] === ':' && pieces.length < 2) { pieces.push(raw); raw = ''; i++; continue; }
          if (s[i] === '(' || s[i] === ',') return `unescaped ${s[i]} at ${i}`;
          raw += s[i++];
        }
        pieces.push(raw);
        if (pieces.length !== 3) return 'a condition is (field:operator:value)';
        const [fieldName, op, value] = pieces as [string, string, string];
        const get = (r: CriteriaRow) => (fieldName === 'Modified_Time' ? r.Modified_Time : fieldName === 'id' ? r.id : r.values[fieldName]);
        if (op === 'equals') one = (r) => String(get(r) ?? '').toLowerCase() === value.toLowerCase();
        else if (op === 'starts_with') one = (r) => String(get(r) ?? '').toLowerCase().startsWith(value.toLowerCase());
        else if (op === 'greater_equal' && fieldName === 'Modified_Time') { const t = Date.parse(value); if (!Number.isFinite(t)) return 'bad datetime'; one = (r) => r.Modified_Time >= t; }
        else return `unsupported operator ${op}`;
      }
      if (typeof one === 'string') return one;
      if (s[i] !== ')') return `expected ) at ${i}`;
      i++;
      parts.push(one);
      const m = /^(and|or)/.exec(s.slice(i));
      if (!m) break;
      ops.push(m[1]!);
      i += m[1]!.length;
    }
    if (new Set(ops).size > 1) return 'mixing and/or needs parentheses';
    return ops[0] === 'or' ? (r) => parts.some((p) => p(r)) : (r) => parts.every((p) => p(r));
  };
  const out = expr();
  return typeof out === 'string' ? out : i === s.length ? out : `trailing text at ${i}`;
}
