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
import type { CountryCode } from '../../phone';
import { filterLeads, leadSchema, type Lead, type LeadCandidate, type LeadImportOutcome, type SkipReason } from '../lead-import';

export { leadSchema, type Lead, type SkipReason };
import { abortableSleep } from '../rate-limiter';
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

export interface ImportOptions {
  /** Names this import for its client_tokens; re-running the same id retries safely. */
  importId?: string;
  defaultRegion?: CountryCode;
  /** Attempts per batch for retryable refusals (write conflict, rate limit, lost reply). Default 4. */
  maxAttempts?: number;
  signal?: AbortSignal;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

type Candidate = LeadCandidate;

/** Phones already in the table, at the lowest request count (see the header). */
async function existingPhones(ctx: FeishuContext, table: string, field: string, phones: string[], report: ImportReport, signal?: AbortSignal): Promise<Map<string, string>> {
  const names = fieldNames(ctx.config);
  const lookupCost = Math.ceil(phones.reduce((n, p) => n + phoneVariants(p).length, 0) / MAX_CONDITIONS);
  if (lookupCost <= 1) {
    report.dedupe = { strategy: 'lookup', searches: lookupCost };
    return findPhones(ctx, table, phones, signal);
  }
  const found = new Map<string, string>();
  let page = await searchPage(ctx, table, { field_names: [field] }, { pageSize: SEARCH_PAGE_MAX, signal });
  let searches = 1;
  collectPhones(page.items, names, found);
  const total = page.total ?? Infinity;
  const scanLeft = page.has_more ? Math.ceil(total / SEARCH_PAGE_MAX) - 1 : 0;
  const rest = phones.filter((p) => !found.has(p));
  const restCost = Math.ceil(rest.reduce((n, p) => n + phoneVariants(p).length, 0) / MAX_CONDITIONS);
  if (scanLeft <= restCost) {
    while (page.has_more && page.page_token) {
      page = await searchPage(ctx, table, { field_names: [field] }, { pageSize: SEARCH_PAGE_MAX, pageToken: page.page_token, signal });
      searches += 1;
      collectPhones(page.items, names, found);
    }
    report.dedupe = { strategy: 'scan', searches };
    return found;
  }
  const looked = await findPhones(ctx, table, rest, signal);
  for (const [p, id] of looked) found.set(p, id);
  report.dedupe = { strategy: 'scan+lookup', searches: searches + restCost };
  return found;
}

export async function importLeadsWith(ctx: FeishuContext, leads: Lead[], opts: ImportOptions = {}): Promise<ImportReport> {
  const report: ImportReport = { synced: [], skipped: [], failed: [], dedupe: { strategy: 'none', searches: 0 }, batches: 0 };
  const names = fieldNames(ctx.config);
  const phoneField = names.customer.phones;
  if (!phoneField) {
    throw new CrmError('validation', 'Feishu import: the phone field is not mapped, so leads cannot be deduplicated', {
      userMessage: { zh_CN: '导入需要「电话」字段来去重，请在字段映射中设置', en: 'Import needs the phone field to deduplicate; map it first' },
    });
  }

  // 1–2: validate, normalize, dedupe within the batch.
  const unique = filterLeads(leads, report, opts.defaultRegion);
  if (!unique.size) return report;

  // 3: against the table.
  const table = await tableId(ctx, 'customers', opts.signal);
  const existing = await existingPhones(ctx, table, phoneField, [...unique.keys()], report, opts.signal);
  const toCreate: Candidate[] = [];
  for (const c of unique.values()) {
    const id = existing.get(c.phone);
    if (id) report.skipped.push({ lead: c.lead, reason: 'duplicate', duplicateOf: 'table', existingRemoteId: id });
    else toCreate.push(c);
  }

  // 4: batch_create, 500 a call.
  const now = ctx.now();
  const importId = opts.importId ?? globalThis.crypto.randomUUID();
  const sleep = opts.sleep ?? abortableSleep;
  const maxAttempts = opts.maxAttempts ?? 4;
  for (let i = 0; i < toCreate.length; i += BATCH_MAX) {
    const chunk = toCreate.slice(i, i + BATCH_MAX);
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
    const token = await toUuidV4(`import:${importId}:${chunk.map((c) => c.phone).join(',')}`);
    report.batches += 1;
    for (let attempt = 1; ; attempt++) {
      try {
        const records = await batchCreateRecords(ctx, table, rows, token, opts.signal);
        chunk.forEach((c, j) => report.synced.push({ lead: c.lead, remoteId: records[j]!.record_id }));
        break;
      } catch (e) {
        if (!(e instanceof CrmError)) throw e;
        // The same client_token makes a retry safe even when the last reply was lost.
        if (e.retryable && attempt < maxAttempts) {
          const backoff = Math.min(5000, 250 * 2 ** attempt) * (0.5 + Math.random() / 2);
          await sleep(Math.max(e.retryAfterMs ?? 0, backoff), opts.signal);
          continue;
        }
        for (const c of chunk) report.failed.push({ lead: c.lead, reason: e.message, error: e });
        break;
      }
    }
  }
  return report;
}
