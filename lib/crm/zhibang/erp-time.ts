// 智邦 stores and takes wall-clock times as "YYYY-MM-DD HH:mm:ss" (its web forms' format), with no
// time zone: the ERP server's local time. Liaison assumes the browser and the ERP share one zone
// (the self-hosted ERP is the company's own box); both directions use the same assumption.
const pad = (n: number) => String(n).padStart(2, '0');
/** The ERP's local "YYYY-MM-DD HH:mm:ss" (it stores wall-clock time, as its web forms do). */
export function erpDateTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** "YYYY-MM-DD HH:mm[:ss]" (or with slashes, or a bare date) in the ERP's wall-clock time → epoch ms. */
export function parseErpDateTime(text: string): number | undefined {
  const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/.exec(text.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map((v) => (v === undefined ? 0 : Number(v))) as [number, number, number, number, number, number];
  const at = new Date(y, mo - 1, d, h, mi, s);
  return at.getFullYear() === y && at.getMonth() === mo - 1 && at.getDate() === d ? at.getTime() : undefined;
}

