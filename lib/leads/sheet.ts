// Leads from a spreadsheet (a .csv/.xlsx file, or rows copied from Excel / WPS / a Feishu sheet
// and pasted): the same review as leads extracted from a page, so they can go to the local CRM
// or straight into a table CRM. Columns are recognised by their headers (lib/sheets/mapping:
// 姓名/电话/微信号/备注…); rows pasted without a header row still work: every cell that reads as
// a phone number is one, and the first other short cell is the name.
import { guessMapping } from '../sheets/mapping';
import { cellText, parseSheet } from '../sheets/parse';
import { normalizePhone } from '../phone';
import type { PageLeadsInput } from './review';

type Candidate = PageLeadsInput['candidates'][number];

/** Phones split on list separators only: "138 0013 8000" is one number with spaces. */
const splitList = (s: string) => s.split(/[,;/、，；|\n]+/).map((x) => x.trim()).filter(Boolean);

const MAX = 1000;

export function sheetCandidates(raw: readonly (readonly unknown[])[]): Candidate[] {
  const byHeader = withHeaders(raw);
  // A data row can look like a header ("…没有电话" names 电话): read the rows both ways and keep
  // the reading that finds more reachable leads (the headers when it is a tie).
  const reachable = (cs: Candidate[]) => cs.filter((c) => c.wechatIds.length > 0 || c.phones.some((p) => normalizePhone(p, 'CN'))).length;
  const bare = headerless(raw);
  return byHeader && reachable(byHeader) >= reachable(bare) ? byHeader : bare;
}

/** Columns by their headers; undefined when no column names a phone or a WeChat id. */
function withHeaders(raw: readonly (readonly unknown[])[]): Candidate[] | undefined {
  const sheet = parseSheet(raw.map((r) => [...r]));
  const mapping = guessMapping(sheet.headers);
  if (!mapping.includes('phones') && !mapping.includes('wechatId')) return undefined;
  const col = (f: string) => mapping.flatMap((m, i) => (m === f ? [i] : []));
  const [nameCols, phoneCols, wechatCols, noteCols, companyCols] = [col('name'), col('phones'), col('wechatId'), col('notes'), col('company')];
  const out: Candidate[] = [];
  for (const r of sheet.rows.slice(0, MAX)) {
    const v = (i: number) => r.values[i] ?? '';
    const name = nameCols.map(v).find(Boolean);
    const phones = phoneCols.flatMap((i) => splitList(v(i))).slice(0, 20);
    const wechatIds = wechatCols.map(v).filter(Boolean).slice(0, 10);
    // The other columns the review shows as the lead's text (公司, 备注…), so nothing typed is lost.
    const content = [...companyCols, ...noteCols].map(v).filter(Boolean).join(' · ').slice(0, 2000);
    if (!name && !phones.length && !wechatIds.length) continue;
    out.push({ ...(name ? { name: name.slice(0, 200) } : {}), phones: phones.map((p) => p.slice(0, 64)), wechatIds: wechatIds.map((w) => w.slice(0, 100)), content });
  }
  return out;
}

/** Rows without a header the mapping knows: phones by their shape, the first other short cell as the name. */
function headerless(raw: readonly (readonly unknown[])[]): Candidate[] {
  const out: Candidate[] = [];
  for (const r of raw.slice(0, MAX)) {
    const cells = r.map(cellText).filter(Boolean);
    const phones: string[] = [];
    const rest: string[] = [];
    for (const c of cells) (normalizePhone(c, 'CN') ? phones : rest).push(c);
    if (!phones.length) continue;
    const name = rest.find((c) => c.length <= 30);
    out.push({ ...(name ? { name: name.slice(0, 200) } : {}), phones: phones.slice(0, 20).map((p) => p.slice(0, 64)), wechatIds: [], content: rest.filter((c) => c !== name).join(' · ').slice(0, 2000) });
  }
  return out;
}
