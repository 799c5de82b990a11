// The options page's heavy parts, each loaded with import() when first used (issue 19): the
// spreadsheet readers (papaparse, read-excel-file) when a file is chosen in 导入, the writers
// (papaparse, write-excel-file) when 导出 is pressed. Their chunks stay out of the page's entry
// chunk, so the page paints first. A chunk that cannot load (the extension was updated under the
// open page, a file missing) is a clear, bilingual error in the section, never a blank one.
import type { Locale } from '@/lib/i18n';
import { parseSheet, type ParsedSheet } from '@/lib/sheets/parse';

const TEXTS = {
  zh_CN: { read: '表格读取组件', write: '表格导出组件', failed: '{part}加载失败，请重新加载此页面后再试。（{cause}）' },
  en: { read: 'The spreadsheet reader', write: 'The spreadsheet exporter', failed: '{part} failed to load; reload this page and try again. ({cause})' },
} as const;

/** import() with the failure said in the page's language, the browser's reason kept in brackets. */
export async function loadPart<M>(locale: Locale, part: 'read' | 'write', load: () => Promise<M>): Promise<M> {
  try {
    return await load();
  } catch (err) {
    const t = TEXTS[locale] ?? TEXTS.zh_CN;
    const cause = err instanceof Error ? err.message : String(err);
    throw new Error(t.failed.replace('{part}', t[part]).replace('{cause}', cause), { cause: err });
  }
}

/** .xlsx through read-excel-file, .csv through papaparse; both end as a ParsedSheet. */
export async function readSheetFile(locale: Locale, file: File): Promise<ParsedSheet> {
  if (/\.csv$/i.test(file.name) || file.type === 'text/csv') {
    const { default: Papa } = await loadPart(locale, 'read', () => import('papaparse'));
    const text = await file.text();
    const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: 'greedy' });
    return parseSheet(parsed.data);
  }
  // The first sheet, as the unit tests read the same fixtures with read-excel-file/node.
  const { readSheet } = await loadPart(locale, 'read', () => import('read-excel-file/browser'));
  return parseSheet(await readSheet(file));
}

/** The export writers (lib/sheets/write.ts, with papaparse and write-excel-file). */
export const loadSheetWriters = (locale: Locale) => loadPart(locale, 'write', () => import('@/lib/sheets/write'));
