// Airtable formulas built from data (filterByFormula). Customer text is hostile by default: a
// phone "1' , TRUE()) & '" must stay one string literal. Strings are double-quoted with
// backslash escapes for \ " and control characters (the formula language's string escapes,
// airtable.com/developers/web/api/list-records § filterByFormula; support "Formula field
// reference" § text); field names go in {braces}, and names with { } or \ are refused by the
// settings (config.ts) because a brace cannot be escaped inside a reference.

/** A formula string literal for any text. */
export function formulaString(value: string): string {
  const escaped = value.replace(/[\\"\n\r\t]/g, (c) => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c]!);
  return `"${escaped}"`;
}

/** {Field name}; refuses a name that would break out of the braces. */
export function fieldRef(name: string): string {
  if (/[{}\\]/.test(name)) throw new Error(`Airtable: field name ${JSON.stringify(name)} cannot be used in a formula`);
  return `{${name}}`;
}

export const eq = (field: string, value: string) => `${fieldRef(field)}=${formulaString(value)}`;
export const or = (parts: string[]) => (parts.length === 1 ? parts[0]! : `OR(${parts.join(',')})`);

/** Records modified at or after `ms` (LAST_MODIFIED_TIME() of any field; ISO instant, UTC). */
export function modifiedSince(ms: number): string {
  return `NOT(IS_BEFORE(LAST_MODIFIED_TIME(),DATETIME_PARSE(${formulaString(new Date(ms).toISOString())})))`;
}

/** RECORD_ID() is one of these ids. */
export function recordIdIn(ids: string[]): string {
  return or(ids.map((id) => `RECORD_ID()=${formulaString(id)}`));
}
