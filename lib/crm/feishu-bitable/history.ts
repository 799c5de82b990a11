// A customer's follow-ups and deals read back from 跟进记录表 / 成交记录表: one records/search per
// page, filtered by the CRM on the row's link to the customer (客户ID contains the record id;
// 记录筛选参数填写说明: a link condition takes record ids), with the automatic fields for the
// author and time. Rows Liaison wrote carry its own id in 记录ID / 成交ID (the reconciliation key
// of addFollowUp / createDeal): that id is the row's liaisonKey, so the pull can tell Liaison's
// rows from a colleague's. The author is the 跟进人 person when set, else whoever created the row.
// `since` is applied here, after the CRM's filter: a row typed in the Bitable UI may have no 跟进时间
// (its time is then its created time), and a date condition would drop it.
import { DEAL_STATUSES, FOLLOW_UP_METHODS, FOLLOW_UP_RESULTS, type Deal, type FollowUp } from '../../model';
import type { ListOptions, RemoteDeal, RemoteFollowUp } from '../port';
import type { FeishuContext } from './client';
import { msOf, peopleOf, personName, textOf } from './decode';
import { searchAll, type FeishuRecord } from './records';
import { tableId } from './tables';
import { fieldNames } from './values';

/** Pages of 500 read at most per customer (5,000 rows). */
const MAX_PAGES = 10;

async function linkedRows(ctx: FeishuContext, key: 'followUps' | 'deals', linkField: string | undefined, remoteCustomerId: string, signal?: AbortSignal): Promise<FeishuRecord[]> {
  if (!linkField) return [];
  const table = await tableId(ctx, key, signal);
  return searchAll(
    ctx,
    table,
    { filter: { conjunction: 'and', conditions: [{ field_name: linkField, operator: 'contains', value: [remoteCustomerId] }] }, automatic_fields: true },
    { maxPages: MAX_PAGES, signal },
  );
}

const oneOf = <T extends string>(list: readonly T[], v: string | null | undefined): T | undefined => (v && (list as readonly string[]).includes(v.trim()) ? (v.trim() as T) : undefined);
const author = (cell: unknown, createdBy: FeishuRecord['created_by']): string | undefined => {
  const people = peopleOf(cell);
  if (people) return personName(people[0]!);
  return createdBy ? personName(createdBy) : undefined;
};
const newestFirst = <T extends { at: number }>(rows: T[], opts: ListOptions) => {
  const kept = rows.filter((r) => opts.since === undefined || r.at >= opts.since).sort((a, b) => b.at - a.at);
  return opts.limit !== undefined ? kept.slice(0, Math.max(0, opts.limit)) : kept;
};

export async function listFollowUps(ctx: FeishuContext, remoteCustomerId: string, opts: ListOptions = {}): Promise<RemoteFollowUp[]> {
  const n = fieldNames(ctx.config).followUp;
  const rows = await linkedRows(ctx, 'followUps', n.customer, remoteCustomerId, opts.signal);
  const cell = (r: FeishuRecord, name: string | undefined) => (name ? r.fields[name] : undefined);
  const out: RemoteFollowUp[] = [];
  for (const r of rows) {
    const at = msOf(cell(r, n.at)) ?? r.created_time;
    if (at === undefined) continue; // no time at all: automatic fields missing (never with automatic_fields)
    const method = oneOf<FollowUp['method']>(FOLLOW_UP_METHODS, textOf(cell(r, n.method)));
    const result = oneOf<NonNullable<FollowUp['result']>>(FOLLOW_UP_RESULTS, textOf(cell(r, n.result)));
    const nextAction = textOf(cell(r, n.nextAction));
    const nextAt = msOf(cell(r, n.nextAt));
    const by = author(cell(r, n.by), r.created_by);
    const key = textOf(cell(r, n.recordId));
    out.push({
      remoteId: r.record_id,
      at,
      content: textOf(cell(r, n.content)) ?? (n.summary ? textOf(cell(r, n.summary)) : null) ?? '',
      ...(method ? { method } : {}),
      ...(result ? { result } : {}),
      ...(nextAction ? { nextAction } : {}),
      ...(typeof nextAt === 'number' ? { nextAt } : {}),
      ...(by ? { by } : {}),
      ...(key ? { liaisonKey: key.trim() } : {}),
    });
  }
  return newestFirst(out, opts);
}

/**
 * Deals of the customer. A deal whose 状态 is empty is still open (进行中, as Liaison's deals
 * start); one whose 状态 is an option Liaison does not know is left out rather than guessed.
 */
export async function listDeals(ctx: FeishuContext, remoteCustomerId: string, opts: ListOptions = {}): Promise<RemoteDeal[]> {
  const n = fieldNames(ctx.config).deal;
  const rows = await linkedRows(ctx, 'deals', n.customer, remoteCustomerId, opts.signal);
  const cell = (r: FeishuRecord, name: string | undefined) => (name ? r.fields[name] : undefined);
  const out: (RemoteDeal & { at: number })[] = [];
  for (const r of rows) {
    const rawStatus = textOf(cell(r, n.status));
    const status = rawStatus ? oneOf<Deal['status']>(DEAL_STATUSES, rawStatus) : '进行中';
    if (!status) continue;
    const amount = cell(r, n.amount);
    const closedAt = msOf(cell(r, n.closedAt));
    const by = r.created_by ? personName(r.created_by) : undefined;
    const key = textOf(cell(r, n.dealId));
    const at = r.created_time ?? closedAt ?? 0;
    out.push({
      remoteId: r.record_id,
      product: textOf(cell(r, n.product))?.trim() ?? '',
      status,
      ...(typeof amount === 'number' && Number.isFinite(amount) ? { amount } : {}),
      ...(typeof closedAt === 'number' ? { closedAt } : {}),
      ...(r.created_time !== undefined ? { createdAt: r.created_time } : {}),
      ...(by ? { by } : {}),
      ...(key ? { liaisonKey: key.trim() } : {}),
      at,
    });
  }
  return newestFirst(out, opts).map(({ at: _at, ...d }) => d);
}
