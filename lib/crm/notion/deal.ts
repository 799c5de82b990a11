// Deals and tasks: pages in their own data sources, linked to the customer page by the 客户
// relation property (setup adds it), made once by the Liaison key (lookup before create).
// listDeals queries the deals data source with {property: 客户, relation: {contains: pageId}}.
import { DEAL_STATUSES, type Deal, type DealStatus } from '../../model';
import { CrmError } from '../errors';
import type { ListOptions, RemoteDeal, RemoteRef, TaskInput, WriteOptions } from '../port';
import type { NotionContext } from './client';
import type { SourceRole } from './config';
import { createPage } from './create';
import { notionTime, type DataSource } from './objects';
import { pageByKey, queryAll } from './query';
import { dataSource, titleProperty } from './sources';
import { CUSTOMER_RELATION_PROPERTY, LIAISON_KEY_PROPERTY, notionSpec } from './spec';
import { templateProperties } from './template-properties';
import { encodeValue, keyProperty, readText, textItems } from './values';

/** The properties of the tasks data source setup creates. */
export const TASK_PROPERTIES = { title: '任务', due: '截止时间', note: '备注' } as const;

export function dealNames(ctx: NotionContext): Partial<Record<keyof Deal, string>> {
  return { ...notionSpec.defaultMapping.deal, ...ctx.config.mapping.deal };
}

function relation(ds: DataSource, customerPageId: string): Record<string, unknown> {
  const p = ds.properties[CUSTOMER_RELATION_PROPERTY];
  if (!p || p.type !== 'relation') {
    throw new CrmError('validation', `Notion: the data source has no "${CUSTOMER_RELATION_PROPERTY}" relation`, {
      vendorCode: 'NO_RELATION',
      userMessage: {
        zh_CN: `Notion 数据库缺少指向客户的「${CUSTOMER_RELATION_PROPERTY}」关联属性，请在连接设置中点「添加 Liaison 需要的属性」`,
        en: `The Notion database lacks the "${CUSTOMER_RELATION_PROPERTY}" relation to the customer; click "Add the properties Liaison needs"`,
      },
    });
  }
  return { [CUSTOMER_RELATION_PROPERTY]: { relation: [{ id: customerPageId }] } };
}

async function createLinked(ctx: NotionContext, role: SourceRole, customerPageId: string, key: string, build: (ds: DataSource) => Record<string, unknown>, opts: WriteOptions): Promise<RemoteRef> {
  const ds = await dataSource(ctx, role, opts.signal);
  const properties = { ...build(ds), ...templateProperties(ds, opts.fields), ...relation(ds, customerPageId), ...keyProperty(ds, key) };
  const existing = await pageByKey(ctx, ds.id, key, LIAISON_KEY_PROPERTY, opts.signal);
  const page = existing ?? (await createPage(ctx, ds.id, properties, opts.signal));
  return { remoteId: page.id };
}

function set(ds: DataSource, out: Record<string, unknown>, name: string | undefined, v: unknown) {
  if (!name || v === undefined || v === null || v === '') return;
  const p = ds.properties[name];
  if (p) out[name] = encodeValue(p, v);
}

export function createDeal(ctx: NotionContext, customerPageId: string, d: Deal, opts: WriteOptions): Promise<RemoteRef> {
  const names = dealNames(ctx);
  return createLinked(ctx, 'deals', customerPageId, d.id, (ds) => {
    const out: Record<string, unknown> = { [titleProperty(ds)]: { title: textItems(d.product) } };
    set(ds, out, names.amount, d.amount);
    set(ds, out, names.status, d.status);
    set(ds, out, names.closedAt, d.closedAt);
    set(ds, out, names.institution, d.institution);
    return out;
  }, opts);
}

export function createTask(ctx: NotionContext, customerPageId: string, t: TaskInput, opts: WriteOptions): Promise<RemoteRef> {
  return createLinked(ctx, 'tasks', customerPageId, opts.idempotencyKey, (ds) => {
    const out: Record<string, unknown> = { [titleProperty(ds)]: { title: textItems(t.title) } };
    const due = ds.properties[TASK_PROPERTIES.due];
    if (!due || due.type !== 'date') throw new CrmError('validation', `Notion: the tasks data source has no date property "${TASK_PROPERTIES.due}"`, { vendorCode: 'NO_DUE_DATE' });
    out[TASK_PROPERTIES.due] = { date: { start: new Date(t.dueAt).toISOString() } };
    set(ds, out, t.note ? TASK_PROPERTIES.note : undefined, t.note);
    return out;
  }, opts);
}

export async function listDeals(ctx: NotionContext, customerPageId: string, opts: ListOptions = {}): Promise<RemoteDeal[]> {
  const ds = await dataSource(ctx, 'deals', opts.signal);
  const names = dealNames(ctx);
  const title = titleProperty(ds);
  const pages = await queryAll(ctx, ds.id, { filter: { property: CUSTOMER_RELATION_PROPERTY, relation: { contains: customerPageId } }, sorts: [{ timestamp: 'created_time', direction: 'descending' }] }, { maxPages: 10, signal: opts.signal });
  const rows: RemoteDeal[] = [];
  for (const p of pages) {
    if (p.in_trash || p.archived) continue;
    const status = names.status ? readText(p.properties[names.status]) : undefined;
    if (!status || !(DEAL_STATUSES as readonly string[]).includes(status)) continue;
    const createdAt = notionTime(p.created_time);
    if (opts.since !== undefined && createdAt !== undefined && createdAt < opts.since) continue;
    const amount = names.amount ? readText(p.properties[names.amount]) : undefined;
    const closed = names.closedAt ? notionTime(readText(p.properties[names.closedAt])) : undefined;
    const key = readText(p.properties[LIAISON_KEY_PROPERTY]);
    rows.push({
      remoteId: p.id,
      product: (readText(p.properties[title]) ?? p.id).slice(0, 100),
      ...(amount && /^\d+(\.\d+)?$/.test(amount) ? { amount: Number(amount) } : {}),
      status: status as DealStatus,
      ...(closed !== undefined ? { closedAt: closed } : {}),
      ...(createdAt !== undefined ? { createdAt } : {}),
      ...(p.created_by?.id ? { by: p.created_by.id } : {}),
      ...(key ? { liaisonKey: key } : {}),
    });
  }
  return opts.limit !== undefined ? rows.slice(0, Math.max(0, opts.limit)) : rows;
}
