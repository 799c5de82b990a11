// Sheets as people really keep them → a header row and text cells. Handles: a merged title
// row or a group row above the headers ("2026年客户名单", "客户信息 | 跟进"), blank rows,
// full-width characters (ＡＢＣ、１３８…), trailing spaces, and phones Excel stored as numbers
// (13800138000 read back as the float 13800138000 or written 1.38001380e10).
import { guessMapping } from './mapping';

export interface SheetRow {
  /** 1-based row number in the sheet, for "row 12: invalid phone" messages. */
  row: number;
  /** One text per header; '' for empty cells. */
  values: string[];
}

export interface ParsedSheet {
  headers: string[];
  rows: SheetRow[];
}

/** How many leading rows may hold titles before the headers. */
const HEADER_SEARCH = 10;

/** A cell as text: numbers without float artefacts, dates as ISO, full-width → half-width. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString();
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return '';
    // 13800138000 stored as 1.3800138e10: print integers without exponent or ".0".
    if (Number.isInteger(v) && Math.abs(v) < 1e21) return v.toFixed(0);
    return String(v);
  }
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  // NFKC: full-width ASCII (１３８, ＡＢＣ, ＠) → ASCII; Han characters are unchanged.
  return String(v).normalize('NFKC').replace(/\u00a0/g, ' ').trim();
}

const filled = (row: string[]) => row.filter((c) => c !== '').length;

export function parseSheet(input: unknown[][]): ParsedSheet {
  const rows = input.map((r) => (Array.isArray(r) ? r.map(cellText) : []));
  const width = rows.reduce((w, r) => Math.max(w, r.length), 0);
  // The header row: among the first rows, the one whose cells look most like known headers;
  // a merged title row has one filled cell, so it loses to the real header row.
  let best = -1;
  let bestScore = -1;
  for (let i = 0; i < Math.min(rows.length, HEADER_SEARCH); i++) {
    const r = rows[i]!;
    const n = filled(r);
    if (n === 0) continue;
    const known = guessMapping(r).filter((f) => f !== null).length;
    const score = known * 100 + (n >= 2 ? n : 0);
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  }
  if (best < 0) return { headers: [], rows: [] };
  const headerRow = rows[best]!;
  const seen = new Map<string, number>();
  const headers = Array.from({ length: width }, (_, i) => {
    const h = headerRow[i] || `列${i + 1}`;
    // Two columns called 电话: keep both, named apart, so both can be mapped.
    const n = (seen.get(h) ?? 0) + 1;
    seen.set(h, n);
    return n === 1 ? h : `${h} (${n})`;
  });
  const out: SheetRow[] = [];
  for (let i = best + 1; i < rows.length; i++) {
    const r = rows[i]!;
    if (filled(r) === 0) continue;
    out.push({ row: i + 1, values: headers.map((_, j) => r[j] ?? '') });
  }
  // Drop trailing columns that have neither a header nor any value.
  let keep = headers.length;
  while (keep > 0 && !headerRow[keep - 1] && out.every((r) => !r.values[keep - 1])) keep--;
  return { headers: headers.slice(0, keep), rows: out.map((r) => ({ row: r.row, values: r.values.slice(0, keep) })) };
}
