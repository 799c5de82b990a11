// The marker line Liaison ends its 洽谈进展 with (see follow-up.ts): "[Liaison <key>]", a UUID key
// as 32 hex digits, another short key as "k:<key>". Read back by replies.ts.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/; // lower-case (crypto.randomUUID); others travel as k:
const TRACE = /\n?\[Liaison (?:([0-9a-f]{32})|k:([A-Za-z0-9_.:-]{1,40}))\]\s*$/;

/** The marker line for a key, or '' when the key cannot travel in it (then nothing is traced). */
export function traceOf(key: string): string {
  if (UUID.test(key)) return `\n[Liaison ${key.replace(/-/g, '')}]`;
  if (/^[A-Za-z0-9_.:-]{1,40}$/.test(key)) return `\n[Liaison k:${key}]`;
  return '';
}

/** The intro without its trace, and the key the trace carries. */
export function splitTrace(intro: string): { content: string; key?: string } {
  const m = TRACE.exec(intro);
  if (!m) return { content: intro };
  const hex = m[1];
  const key = hex ? `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}` : m[2]!;
  return { content: intro.slice(0, m.index), key };
}

