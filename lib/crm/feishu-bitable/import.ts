// Lead import: seed 000's sync_batch done properly. The seed searched and created one lead at a
// time (2 requests per lead, no phone normalization, failures counted but not explained). Here:
// 1. every phone is normalized (lib/phone) and invalid ones are skipped with a reason;
// 2. duplicates within the batch are skipped (first occurrence wins);
// 3. duplicates already in 客户信息表 are found with as few searches as possible: either by
//    scanning the table's 电话 column (500 per page) or by OR-searching the phones (each in its
//    stored forms, ≤50 conditions per search) — whichever costs fewer requests, decided after the
//    first page tells the table's size;
// 4. the rest is written with batch_create, 500 per call, each call with a client_token derived
//    from its content, so a retry after a lost reply cannot duplicate anything.
// Every request survives what the gateway throws at a long import (issue 15): a 429 / 99991400
// (or 1254290) waits as x-ogw-ratelimit-reset says and tries again — many times, never failing
// at the first; an expired tenant token is refreshed once by the client (client.ts) and the call
// replayed; a lost reply on batch_create is replayed with the SAME client_token, which Bitable
// answers with the first call's records (新增多条记录: client_token 幂等). Each wait is reported
// (onWait) so the UI can say "限流，将在 N 秒后重试".
import type { CountryCode } from '../../phone';
import { filterLeads, leadSchema, progressOf, retrying, type ImportHooks, type Lead, type LeadCandidate, type LeadImportOutcome, type SkipReason } from '../lead-import';

export { leadSchema, type Lead, type SkipReason };
import { CrmError } from '../errors';
import type { FeishuContext } from './client';
import { collectPhones, findPhones, MAX_CONDITIONS } from './find';
import { batchCreateRecords, searchPage, SEARCH_PAGE_MAX } from './records';
import { BATCH_MAX } from './batch';
import { tableId } from './tables';
import { toUuidV4 } from './uuid';
import { customerFields, fieldNames, phoneVariants } from './values';

export interface ImportReport extends LeadImportOutcome {
  /** How the table was checked for existing phones, and the requests that took. */
  dedupe: { strategy: 'none' | 'lookup' | 'scan' | 'scan+lookup'; searches: number };
  batches: number;
}

export interface ImportOptions extends ImportHooks {
  /** Names this import for its client_tokens; re-running the same id retries safely. */
  importId?: string;
  defaultRegion?: CountryCode;
}

type Candidate = LeadCandidate;

/** Phones already in the table, at the lowest request count (see the header). */
async function existingPhones(ctx: FeishuContext, table: string, field: string, phones: string[], report: ImportReport, hooks: ImportHooks): Promise<Map<string, string>> {
  const names = fieldNames(ctx.config);
  const { signal } = hooks;
  const lookup = (ps: string[]) => retrying('dedupe', () => findPhones(ctx, table, ps, signal), hooks);
  const page = (pageToken?: string) => retrying('dedupe', () => searchPage(ctx, table, { field_names: [field] }, { pageSize: SEARCH_PAGE_MAX, pageToken, signal }), hooks);
  const lookupCost = Math.ceil(phones.reduce((n, p) => n + phoneVariants(p).length, 0) / MAX_CONDITIONS);
  if (lookupCost <= 1) {
    report.dedupe = { strategy: 'lookup', searches: lookupCost };
    return lookup(phones);
  }
  const found = new Map<string, string>();
  let current = await page();
  let searches = 1;
  collectPhones(current.items, names, found);
  const total = current.total ?? Infinity;
  const scanLeft = current.has_more ? Math.ceil(total / SEARCH_PAGE_MAX) - 1 : 0;
  const rest = phones.filter((p) => !found.has(p));
  const restCost = Math.ceil(rest.reduce((n, p) => n + phoneVariants(p).length, 0) / MAX_CONDITIONS);
  if (scanLeft <= restCost) {
    while (current.has_more && current.page_token) {
      current = await page(current.page_token);
      searches += 1;
      collectPhones(current.items, names, found);
    }
    report.dedupe = { strategy: 'scan', searches };
    return found;
  }
  const looked = await lookup(rest);
  for (const [p, id] of looked) found.set(p, id);
  report.dedupe = { strategy: 'scan+lookup', searches: searches + restCost };
  return found;
}

export async function importLeadsWith(ctx: FeishuContext, leads: Lead[], opts: ImportOptions = {}): Promise<ImportReport> {
  const report: ImportReport = { synced: [], skipped: [], failed: [], dedupe: { strategy: 'none', searches: 0 }, batches: 0 };
  const progress = progressOf(leads.length, report, opts);
  const names = fieldNames(ctx.config);
  const phoneField = names.customer.phones;
  if (!phoneField) {
    throw new CrmError('validation', 'Feishu import: the phone field is not mapped, so leads cannot be deduplicated', {
      userMessage: { zh_CN: '导入需要「电话」字段来去重，请在字段映射中设置', en: 'Import needs the phone field to deduplicate; map it first' },
    });
  }

  // 1–2: validate, normalize, dedupe within the batch.
  const unique = filterLeads(leads, report, opts.defaultRegion);
  progress();
  if (!unique.size) return report;

  // 3: against the table. Nothing is written unless the table could be checked.
  const table = await retrying('tables', () => tableId(ctx, 'customers', opts.signal), opts);
  const existing = await existingPhones(ctx, table, phoneField, [...unique.keys()], report, opts);
  const toCreate: Candidate[] = [];
  for (const c of unique.values()) {
    const id = existing.get(c.phone);
    if (id) report.skipped.push({ lead: c.lead, reason: 'duplicate', duplicateOf: 'table', existingRemoteId: id });
    else toCreate.push(c);
  }
  progress();

  // 4: batch_create, 500 a call.
  const now = ctx.now();
  const importId = opts.importId ?? globalThis.crypto.randomUUID();
  /** Set when a call failed for a reason the next calls would meet too (auth, a limit that would not lift). */
  let stopped: CrmError | undefined;
  for (let i = 0; i < toCreate.length; i += BATCH_MAX) {
    const chunk = toCreate.slice(i, i + BATCH_MAX);
    if (stopped) {
      for (const c of chunk) report.failed.push({ lead: c.lead, reason: `not sent: ${stopped.message}`, error: stopped, notSent: true });
      progress();
      continue;
    }
    const rows = chunk.map(({ parsed: l, phone }) =>
      customerFields(
        {
          code: l.code ?? '', name: l.name || '客户', phones: [phone], wechatId: l.wechatId, source: l.source, product: l.product, amount: l.amount,
          // Seed 000's defaults for a fresh lead: 意向等级 中, 贷款状态 新客户.
          intentLevel: l.intentLevel ?? '中', stage: '新客户', tags: [], keyword: l.keywords?.filter(Boolean).join(','), notes: l.content, createdAt: now,
        },
        names,
        'create',
      ),
    );
    // One token per call, kept across its retries: a replay after a lost reply returns the records
    // the first call created instead of creating them again.
    const token = await toUuidV4(`import:${importId}:${chunk.map((c) => c.phone).join(',')}`);
    report.batches += 1;
    try {
      const records = await retrying('write', () => batchCreateRecords(ctx, table, rows, token, opts.signal), opts, 'replay');
      chunk.forEach((c, j) => report.synced.push({ lead: c.lead, remoteId: records[j]!.record_id }));
    } catch (e) {
      if (!(e instanceof CrmError) || opts.signal?.aborted) throw e;
      for (const c of chunk) report.failed.push({ lead: c.lead, reason: e.message, error: e });
      // A refused row shape fails this call only; anything else would fail the next calls too.
      if (e.kind !== 'validation' && e.kind !== 'conflict') stopped = e;
    }
    progress();
  }
  return report;
}
