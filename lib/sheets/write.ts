// The export's writers: an ExportTable (./export.ts) as CSV (papaparse) or .xlsx
// (write-excel-file). Options page only, loaded when its export section is used.
import Papa from 'papaparse';
import writeXlsxFile from 'write-excel-file/universal';
import type { ExportTable } from './export';

/**
 * Cells Excel would run as formulas (=, @, and + or - not followed by a number) get a leading
 * apostrophe; "+8613800138000" and "-5" stay as they are.
 */
const FORMULA = /^[=@\t\r]|^[+-](?![\d\s().,-]*$)/;

/** CSV with a UTF-8 BOM: without it Excel on Windows reads Chinese as mojibake. */
export function toCsv(t: ExportTable): string {
  return '\uFEFF' + Papa.unparse({ fields: t.headers, data: t.rows.map((r) => r.map((c) => c ?? '')) }, { escapeFormulae: FORMULA, newline: '\r\n' });
}

/** An .xlsx Blob; phones and codes stay text, amounts stay numbers. */
export async function toXlsx(t: ExportTable, sheet = 'Sheet1'): Promise<Blob> {
  const data = [
    t.headers.map((h) => ({ value: h, fontWeight: 'bold' as const })),
    ...t.rows.map((r) => r.map((c) => (c === null ? null : { value: c }))),
  ];
  return writeXlsxFile(data, { sheet }).toBlob();
}
