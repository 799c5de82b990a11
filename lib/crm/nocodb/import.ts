// Lead import (seed 000's sync_batch) into NocoDB:
// 1. every phone is normalized (lib/phone); invalid ones are skipped with a reason;
// 2. duplicates within the batch are skipped (first occurrence wins);
// 3. duplicates already in 客户 are found by exact phone lookups, 40 phones (80 conditions) per
//    request: NocoDB has no bulk "in" over computed forms, and a scan of a big table costs more;
// 4. the rest is written 100 rows per request; a row with a select value outside the column's
//    options fails alone (validation, naming field and options).
// A long import meets what a busy server does (issue 15): a 429 (NocoDB Cloud's throttle; a
// self-hosted server behind a proxy) waits as Retry-After says and tries again, many times;
// a 503 or a dropped read is retried with backoff. NocoDB has no idempotency key, so a write
// whose reply was lost (killed fetch, timeout, 500/502/504) is never simply resent: the rows
// that arrived are looked up by phone first and only the missing ones are sent again.
import type { CountryCode } from '../../phone';
import { filterLeads, leadSchema, progressOf, retrying, type ImportHooks, type Lead, type LeadImportOutcome, type SkipReason } from '../lead-import';

export { leadSchema, type Lead, type SkipReason };
import { CrmError } from '../errors';
import type { NocodbContext } from './client';
import { findPhones, PHONES_PER_LOOKUP } from './find';
import { tableMeta } from './meta';
import { insertRows, MAX_ROWS, type Row } from './records';
import { tableId } from './tables';
import { customerRow, fieldNames, selectError, selectProblems } from './values';

export interface ImportReport extends LeadImportOutcome {
  /** Requests spent: phone lookups and row writes. */
  lookups: number;
  batches: number;
  /** Rows found by lookup after a lost reply (stored by the lost request, not sent again). */
  reconciled: number;
}

export interface ImportOptions extends ImportHooks {
  defaultRegion?: CountryCode;
  /** Seed 000's defaults for a fresh lead. */
  defaultStage?: string;
}

interface Pending {
  lead: Lead;
  row: Row;
  phone: string;
}

/** phone → Id for the phones already stored, one lookup request per 40 phones, each retried on its own. */
async function lookupPhones(ctx: NocodbContext, table: string, phones: string[], report: ImportReport, hooks: ImportHooks, step: 'dedupe' | 'reconcile'): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (let i = 0; i < phones.length; i += PHONES_PER_LOOKUP) {
    const chunk = phones.slice(i, i + PHONES_PER_LOOKUP);
    const hits = await retrying(step, () => findPhones(ctx, table, chunk, hooks.signal), hooks);
    report.lookups += 1;
    for (const [p, id] of hits) found.set(p, id);
  }
  return found;
}

/**
 * One request's rows: written, retried after a rate limit or a refusal that wrote nothing, and
 * after a lost reply reconciled by phone before anything is sent again.
 */
async function writeChunk(ctx: NocodbContext, table: string, chunk: Pending[], report: ImportReport, hooks: ImportHooks): Promise<void> {
  let left = chunk;
  const maxAttempts = hooks.maxAttempts ?? 4;
  for (let lost = 0; left.length; ) {
    try {
      report.batches += 1;
      const rows = left;
      const ids = await retrying('write', () => insertRows(ctx, table, rows.map((p) => p.row), hooks.signal), hooks, 'rethrow');
      rows.forEach((p, j) => report.synced.push({ lead: p.lead, remoteId: ids[j]! }));
      return;
    } catch (e) {
      if (!(e instanceof CrmError) || hooks.signal?.aborted) throw e;
      if (e.kind !== 'unknown-outcome' || ++lost >= maxAttempts) {
        for (const p of left) report.failed.push({ lead: p.lead, reason: e.message, error: e });
        return;
      }
      hooks.onWait?.({ ms: 0, kind: e.kind, attempt: lost + 1, step: 'reconcile' });
      const stored = await lookupPhones(ctx, table, left.map((p) => p.phone), report, hooks, 'reconcile');
      const missing: Pending[] = [];
      for (const p of left) {
        const id = stored.get(p.phone);
        if (id) {
          report.synced.push({ lead: p.lead, remoteId: id });
          report.reconciled += 1;
        } else missing.push(p);
      }
      left = missing;
    }
  }
}

export async function importLeadsWith(ctx: NocodbContext, leads: Lead[], opts: ImportOptions = {}): Promise<ImportReport> {
  const report: ImportReport = { synced: [], skipped: [], failed: [], lookups: 0, batches: 0, reconciled: 0 };
  const progress = progressOf(leads.length, report, opts);
  const names = fieldNames(ctx.config);
  if (!names.customer.phones) {
    throw new CrmError('validation', 'NocoDB import: the phone column is not mapped, so leads cannot be deduplicated', {
      userMessage: { zh_CN: '导入需要「电话」字段来去重，请在字段映射中设置', en: 'Import needs the phone column to deduplicate; map it first' },
    });
  }

  // 1–2: validate, normalize, dedupe within the batch.
  const unique = filterLeads(leads, report, opts.defaultRegion);
  progress();
  if (!unique.size) return report;

  // 3: against the table. Nothing is written unless the table could be checked.
  const table = await retrying('tables', () => tableId(ctx, 'customers', opts.signal), opts);
  const meta = await retrying('tables', () => tableMeta(ctx, table, opts.signal), opts);
  const existing = await lookupPhones(ctx, table, [...unique.keys()], report, opts, 'dedupe');

  // 4: rows, checked, written 100 per request.
  const now = ctx.now();
  const pending: Pending[] = [];
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
    pending.push({ lead, row, phone });
  }
  progress();
  for (let i = 0; i < pending.length; i += MAX_ROWS) {
    await writeChunk(ctx, table, pending.slice(i, i + MAX_ROWS), report, opts);
    progress();
  }
  return report;
}
