// 导入 (seed 000): picked leads go through the spreadsheet import's path (planImport/applyImport),
// so they are deduped against local customers the same way, get the same undo record, and
// reach connected CRMs through createCustomer's outbox rows exactly like a sheet row.
import type { LiaisonDb } from '../db/db';
import type { Settings } from '../model';
import { applyImport, planImport, type ApplyResult, type ImportPlan } from '../sheets/import';
import type { ColumnMapping } from '../sheets/mapping';
import type { SheetRow } from '../sheets/parse';

export interface LeadToImport {
  name: string;
  phones: string[];
  wechatId?: string;
  /** The item's text on the page: kept as notes, so the user sees why it was a lead. */
  notes?: string;
}

export interface LeadImportOptions {
  /** 来源渠道 */
  source?: string;
  /** 搜索关键词 */
  keyword?: string;
  /** The page the leads came from, appended to the notes. */
  pageUrl?: string;
  tz: string;
  settings: Settings;
  now: number;
}

export interface LeadImportResult {
  plan: Pick<ImportPlan, 'skipped' | 'failed'>;
  result: ApplyResult;
  /** created + merged */
  imported: number;
}

const MAPPING: ColumnMapping = ['name', 'phones', 'wechatId', 'source', 'keyword', 'notes'];

export function leadRows(leads: readonly LeadToImport[], opts: Pick<LeadImportOptions, 'source' | 'keyword' | 'pageUrl'>): SheetRow[] {
  return leads.map((l, i) => ({
    row: i + 1,
    values: [
      l.name.trim(),
      // The sheet path splits phones on list separators.
      l.phones.join(','),
      l.wechatId ?? '',
      opts.source?.trim() ?? '',
      opts.keyword?.trim() ?? '',
      [l.notes?.trim(), opts.pageUrl].filter(Boolean).join('\n').slice(0, 10_000),
    ],
  }));
}

export async function importLeads(db: LiaisonDb, leads: readonly LeadToImport[], opts: LeadImportOptions): Promise<LeadImportResult> {
  const plan = await planImport(db, leadRows(leads, opts), MAPPING, { tz: opts.tz, settings: opts.settings });
  const result = await applyImport(db, plan, opts.now);
  return { plan: { skipped: plan.skipped, failed: plan.failed }, result, imported: result.counts.created + result.counts.merged };
}
