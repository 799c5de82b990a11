// The read side (issue 15): one customer, customers changed since a time, a customer's follow-ups
// and deals, through the same client and per-connection limiter as the writes. Behaviour of
// nocodb 0.301.3 this relies on (checked on the real server, 2026-12-06; test/integration/
// nocodb-read.test.ts proves it each run):
// - GET /records/{Id} → the row, 404 "Record 'n' not found" once deleted (→ null).
// - Modified time: the system UpdatedAt (LastModifiedTime) is NULL until a row is first edited,
//   then set by every PATCH, to the second. So a row's marker is UpdatedAt, else CreatedAt, and
//   "changed since" asks for either: (UpdatedAt,ge,exactDate,T)~or(CreatedAt,ge,exactDate,T).
// - Date filters: only with a sub-op (exactDate), the value's offset honoured; the server
//   formats it "YYYY-MM-DD HH:mm:ss" (milliseconds dropped) and SQLite compares it as text with
//   the stored "…+00:00", so ge matches rows of that very second: "at or after `since`" to the
//   second, never missing one (the same second comes back again: the pull compares markers).
// - Paging: offset/limit (limit above 1000 is cut to 1000), pageInfo.isLastPage; an offset at or
//   past the matches is refused (422 ERR_INVALID_OFFSET_VALUE): rows deleted between two pages
//   end the read there. Sorted by Id: an edit during the read does not move rows between pages
//   (sorting by UpdatedAt would, and skip one).
// - Linked rows: GET /links/{hm column}/records/{customer Id} with fields/where/limit/offset; it
//   ignores `sort` (0.301.3), so a customer's follow-ups are read whole and sorted here.
import { CrmError } from '../errors';
import type { ChangesOptions, ChangesPage, FollowUpChangesPage, ListOptions, RemoteCustomerRecord, RemoteDeal, RemoteFollowUp } from '../port';
import { call, seg, type NocodbContext } from './client';
import { pkTitle } from './codes';
import { tableMeta, type Column, type TableMeta } from './meta';
import { getRow, listRows, type Row } from './records';
import { createdByColumns, modifiedAt, systemTimes, toCustomerRecord, toDeal, toFollowUp } from './read-values';
import { LINK_TYPES, type TableKey } from './schema';
import { tableId } from './tables';
import { fieldsParam, metaOfPlan, UNSAFE_TITLE, withReadPlan } from './read-plan';
import { fieldNames, toNocoDateTime } from './values';
import { z } from 'zod';

/** Rows per changes page unless asked otherwise; NocoDB serves at most 1000. */
export const CHANGES_PAGE = 100;
export const MAX_PAGE = 1000;
/** Linked rows per request, and at most this many requests for one customer's follow-ups or deals. */
const LINKED_PAGE = 200;
const LINKED_MAX_PAGES = 25;

/** A date condition as 0.301.3 takes it: sub-op exactDate, the instant in UTC with its offset, to the second. */
export function sinceCondition(title: string, since: number): string {
  return `(${title},ge,exactDate,${toNocoDateTime(since)})`;
}

function checkSince(since: number): void {
  if (!Number.isFinite(since) || since < 0) throw new CrmError('validation', `NocoDB: "since" must be a time in epoch ms (got ${since})`);
}

const isMissingRecord = (e: unknown) => e instanceof CrmError && e.kind === 'not-found' && /record/i.test(e.message);
const isOffsetRefused = (e: unknown) => e instanceof CrmError && e.kind === 'validation' && /offset/i.test(e.message);

export async function getCustomer(ctx: NocodbContext, remoteId: string, signal?: AbortSignal): Promise<RemoteCustomerRecord | null> {
  const names = fieldNames(ctx.config);
  return withReadPlan(ctx, signal, async (plan) => {
    let row: Row;
    try {
      row = await getRow(ctx, plan.table, remoteId, signal, plan.fields);
    } catch (e) {
      if (isMissingRecord(e)) return null;
      throw e;
    }
    return toCustomerRecord(row, names, plan);
  });
}

export async function changesSince(ctx: NocodbContext, opts: ChangesOptions): Promise<ChangesPage> {
  checkSince(opts.since);
  const offset = opts.page === undefined ? 0 : /^\d{1,9}$/.test(opts.page) ? Number(opts.page) : NaN;
  if (Number.isNaN(offset)) throw new CrmError('validation', `NocoDB: not a page token of changesSince: ${opts.page?.slice(0, 20)}`);
  const limit = Math.min(Math.max(1, Math.floor(opts.limit ?? CHANGES_PAGE)), MAX_PAGE);
  const names = fieldNames(ctx.config);
  return withReadPlan(ctx, opts.signal, async (plan) => {
    if (!plan.updated || UNSAFE_TITLE.test(plan.updated)) {
      throw new CrmError('unsupported', 'NocoDB: the customers table has no last-modified-time column to filter on', {
        userMessage: { zh_CN: 'NocoDB 客户表没有「最后修改时间」系统字段，无法按修改时间读取变更', en: 'The NocoDB customers table has no last-modified time to read changes by' },
      });
    }
    const conds = [sinceCondition(plan.updated, opts.since), ...(plan.created && !UNSAFE_TITLE.test(plan.created) ? [sinceCondition(plan.created, opts.since)] : [])];
    let page: { rows: Row[]; last: boolean };
    try {
      page = await listRows(ctx, plan.table, { where: conds.join('~or'), sort: plan.pk, limit, offset, ...(plan.fields ? { fields: plan.fields } : {}), signal: opts.signal });
    } catch (e) {
      // Rows matched the previous page and were deleted since: nothing is left at this offset.
      if (offset > 0 && isOffsetRefused(e)) return { records: [] };
      throw e;
    }
    // NocoDB's clock when it answered (its Date header): the puller may move its watermark to it.
    const asOf = ctx.http.serverNow();
    const records = page.rows.map((r) => toCustomerRecord(r, names, plan));
    return { records, ...(!page.last && page.rows.length ? { next: String(offset + page.rows.length) } : {}), ...(asOf !== undefined ? { asOf } : {}) };
  });
}

/**
 * Follow-ups of every customer created or modified at or after `since` (the periodic pull's
 * colleagues' follow-ups), filtered by NocoDB on the follow-ups table's own CreatedAt/UpdatedAt,
 * paged by offset like changesSince; each row's customer from its belongs-to link ({Id, …}).
 * Rows without a customer are left out (nothing to show them beside).
 */
export async function followUpsSince(ctx: NocodbContext, opts: ChangesOptions): Promise<FollowUpChangesPage> {
  checkSince(opts.since);
  const offset = opts.page === undefined ? 0 : /^\d{1,9}$/.test(opts.page) ? Number(opts.page) : NaN;
  if (Number.isNaN(offset)) throw new CrmError('validation', `NocoDB: not a page token of followUpsSince: ${opts.page?.slice(0, 20)}`);
  const limit = Math.min(Math.max(1, Math.floor(opts.limit ?? CHANGES_PAGE)), MAX_PAGE);
  const names = fieldNames(ctx.config);
  return withReadPlan(
    ctx,
    opts.signal,
    async (plan) => {
      const times = [plan.created, plan.updated].filter((t): t is string => !!t && !UNSAFE_TITLE.test(t));
      if (!times.length) throw new CrmError('unsupported', 'NocoDB: the follow-ups table has no created/modified time to read changes by');
      let page: { rows: Row[]; last: boolean };
      try {
        page = await listRows(ctx, plan.table, { where: times.map((t) => sinceCondition(t, opts.since)).join('~or'), sort: plan.pk, limit, offset, ...(plan.fields ? { fields: plan.fields } : {}), signal: opts.signal });
      } catch (e) {
        if (offset > 0 && isOffsetRefused(e)) return { rows: [] };
        throw e;
      }
      const asOf = ctx.http.serverNow();
      const meta = metaOfPlan(plan);
      const rows: FollowUpChangesPage['rows'] = [];
      for (const r of page.rows) {
        const customer = linkedId(r[plan.link!]);
        const f = customer ? toFollowUp(r, names, meta, plan) : undefined;
        const changed = modifiedAt(r, plan);
        if (f && customer) rows.push({ ...f, customerRemoteId: customer, ...(changed !== undefined ? { modifiedAt: changed } : {}) });
      }
      return { rows, ...(!page.last && page.rows.length ? { next: String(offset + page.rows.length) } : {}), ...(asOf !== undefined ? { asOf } : {}) };
    },
    'followUps',
  );
}

/** A belongs-to cell as the data API shows it: {Id, <display value>} (or a bare Id). */
function linkedId(v: unknown): string | undefined {
  const id = v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>).Id : v;
  return typeof id === 'number' && Number.isInteger(id) ? String(id) : typeof id === 'string' && /^\d+$/.test(id) ? id : undefined;
}

const linkedListSchema = z
  .object({
    list: z.array(z.record(z.string(), z.unknown())),
    pageInfo: z.object({ isLastPage: z.boolean().optional() }).loose().optional(),
  })
  .loose();

/** The customers table's has-many/many-to-many column to the given table (what the links endpoint lists). */
function linksColumn(customersMeta: TableMeta, target: string): Column | undefined {
  return customersMeta.columns.find((c) => LINK_TYPES.includes(c.uidt) && c.colOptions?.fk_related_model_id === target && c.colOptions?.type !== 'bt');
}

async function linkedRows(ctx: NocodbContext, key: Exclude<TableKey, 'customers'>, remoteCustomerId: string, titles: (string | undefined)[], sinceTitles: (string | undefined)[], opts: ListOptions): Promise<{ rows: Row[]; meta: TableMeta }> {
  if (opts.since !== undefined) checkSince(opts.since);
  const customers = await tableId(ctx, 'customers', opts.signal);
  const table = await tableId(ctx, key, opts.signal);
  const [cMeta, meta] = [await tableMeta(ctx, customers, opts.signal), await tableMeta(ctx, table, opts.signal)];
  const col = linksColumn(cMeta, table);
  if (!col) {
    throw new CrmError('validation', `NocoDB: the customers table has no link to the ${key} table`, {
      userMessage: { zh_CN: 'NocoDB 客户表没有链接到这张表的字段：请点击「创建/检查推荐表格」', en: 'The NocoDB customers table has no link to this table: run "Create or check the recommended tables"' },
    });
  }
  const times = systemTimes(meta);
  const fields = fieldsParam(meta, [pkTitle(meta), times.created, times.updated, ...titles, ...createdByColumns(meta).map((c) => c.title)]);
  const since = opts.since;
  const where =
    since === undefined
      ? undefined
      : [...new Set([...sinceTitles, times.created, times.updated])]
          .filter((t): t is string => !!t && !UNSAFE_TITLE.test(t) && meta.columns.some((c) => c.title === t && ['DateTime', 'CreatedTime', 'LastModifiedTime'].includes(c.uidt)))
          .map((t) => sinceCondition(t, since))
          .join('~or') || undefined;
  const rows: Row[] = [];
  for (let p = 0; p < LINKED_MAX_PAGES; p++) {
    let r: z.infer<typeof linkedListSchema>;
    try {
      r = await call(ctx, 'get', `api/v2/tables/${seg(customers)}/links/${seg(col.id)}/records/${seg(remoteCustomerId)}`, {
        searchParams: { fields: fields?.join(','), where, limit: LINKED_PAGE, offset: p * LINKED_PAGE || undefined },
        signal: opts.signal,
        schema: linkedListSchema,
      });
    } catch (e) {
      if (p > 0 && isOffsetRefused(e)) break;
      throw e;
    }
    rows.push(...r.list);
    if ((r.pageInfo?.isLastPage ?? r.list.length < LINKED_PAGE) || r.list.length === 0) break;
  }
  return { rows, meta };
}

const newestFirst = <T extends { remoteId: string }>(at: (x: T) => number) => (a: T, b: T) => at(b) - at(a) || Number(b.remoteId) - Number(a.remoteId) || (b.remoteId < a.remoteId ? -1 : 1);

/** The customer's follow-up rows, newest first (by 跟进时间, else CreatedAt). Rows before `since` are left out where the time columns allow filtering. */
export async function listFollowUps(ctx: NocodbContext, remoteCustomerId: string, opts: ListOptions = {}): Promise<RemoteFollowUp[]> {
  const names = fieldNames(ctx.config);
  const n = names.followUp;
  const { rows, meta } = await linkedRows(ctx, 'followUps', remoteCustomerId, Object.values(n), [n.at], opts);
  const times = systemTimes(meta);
  const out = rows.map((r) => toFollowUp(r, names, meta, times)).filter((f): f is RemoteFollowUp => !!f);
  out.sort(newestFirst((f) => f.at));
  return opts.limit !== undefined ? out.slice(0, Math.max(0, opts.limit)) : out;
}

/** The customer's deals, newest first (成交时间, else created). A row whose 状态 Liaison does not know is left out (read-values.ts). */
export async function listDeals(ctx: NocodbContext, remoteCustomerId: string, opts: ListOptions = {}): Promise<RemoteDeal[]> {
  const names = fieldNames(ctx.config);
  const n = names.deal;
  const { rows, meta } = await linkedRows(ctx, 'deals', remoteCustomerId, Object.values(n), [n.closedAt], opts);
  const times = systemTimes(meta);
  const out = rows.map((r) => toDeal(r, names, meta, times)).filter((d): d is RemoteDeal => !!d);
  out.sort(newestFirst((d) => d.closedAt ?? d.createdAt ?? 0));
  return opts.limit !== undefined ? out.slice(0, Math.max(0, opts.limit)) : out;
}

