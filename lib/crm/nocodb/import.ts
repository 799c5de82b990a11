// Lead import (seed 000's sync_batch) into NocoDB:
// 1. every phone is normalized (lib/phone); invalid ones are skipped with a reason;
// 2. duplicates within the batch are skipped (first occurrence wins);
// 3. duplicates already in 客户 are found by exact phone lookups, 40 phones (80 conditions) per
//    request: NocoDB has no bulk "in" over computed forms, and a scan of a big table costs more;
// 4. the rest is written 100 rows per request; a row with a select value outside the column's
//    options fails alone (validation, naming field and options); a request whose reply was lost
//    is reconciled by phone lookup and only the missing rows are sent again.
import type { CountryCode } from '../../phone';
import { filterLeads, leadSchema, type Lead, type LeadImportOutcome, type SkipReason } from '../lead-import';

export { leadSchema, type Lead, type SkipReason };
import { CrmError } from '../errors';
import type { NocodbContext } from './client';
import { insertReconciled } from './batch';
import { findPhones, PHONES_PER_LOOKUP } from './find';
import { tableMeta } from './meta';
import { MAX_ROWS, type Row } from './records';
import { tableId } from './tables';
import { customerRow, fieldNames, selectError, selectProblems } from './values';

export interface ImportReport extends LeadImportOutcome {
  /** Requests spent: phone lookups and row writes. */
  lookups: number;
  batches: number;
}

export interface ImportOptions {
  defaultRegion?: CountryCode;
  /** Seed 000's defaults for a fresh lead. */
  defaultStage?: string;
  signal?: AbortSignal;
}

export async function importLeadsWith(ctx: NocodbContext, leads: Lead[], opts: ImportOptions = {}): Promise<ImportReport> {
  const report: ImportReport = { synced: [], skipped: [], failed: [], lookups: 0, batches: 0 };
  const names = fieldNames(ctx.config);
  if (!names.customer.phones) {
    throw new CrmError('validation', 'NocoDB import: the phone column is not mapped, so leads cannot be deduplicated', {
      userMessage: { zh_CN: '导入需要「电话」字段来去重，请在字段映射中设置', en: 'Import needs the phone column to deduplicate; map it first' },
    });
  }

  // 1–2: validate, normalize, dedupe within the batch.
  const unique = filterLeads(leads, report, opts.defaultRegion);
  if (!unique.size) return report;

  // 3: against the table.
  const table = await tableId(ctx, 'customers', opts.signal);
  const meta = await tableMeta(ctx, table, opts.signal);
  const phones = [...unique.keys()];
  const existing = await findPhones(ctx, table, phones, opts.signal);
  report.lookups += Math.ceil(phones.length / PHONES_PER_LOOKUP);

  // 4: rows, checked, written 100 per request.
  const now = ctx.now();
  const order: { lead: Lead }[] = [];
  const pending: { index: number; row: Row; phone: string }[] = [];
  for (const [phone, { lead, parsed: l }] of unique) {
    const id = existing.get(phone);
    if (id) {
      report.skipped.push({ lead, reason: 'duplicate', duplicateOf: 'table', existingRemoteId: id });
      continue;
    }
    const row = customerRow(
      {
        ...(l.code ? { code: l.code } : {}),
        name: l.name || '客户',
        phones: [phone],
        wechatId: l.wechatId,
        source: l.source,
        product: l.product,
        amount: l.amount,
        intentLevel: l.intentLevel ?? '中',
        stage: opts.defaultStage ?? '新客户',
        keyword: l.keywords?.filter(Boolean).join(','),
        notes: l.content,
        lastContactAt: now,
      },
      names,
      meta,
      'create',
    );
    const problems = selectProblems(meta, row);
    if (problems.length) {
      const error = selectError(problems);
      report.failed.push({ lead, reason: error.message, error });
      continue;
    }
    pending.push({ index: order.length, row, phone });
    order.push({ lead });
  }
  report.batches = Math.ceil(pending.length / MAX_ROWS);
  await insertReconciled(
    ctx,
    table,
    pending,
    {
      done: (index, id) => report.synced.push({ lead: order[index]!.lead, remoteId: id }),
      failed: (index, error) => report.failed.push({ lead: order[index]!.lead, reason: error.message, error }),
    },
    opts.signal,
  );
  return report;
}
