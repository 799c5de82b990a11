// Follow-ups and deals are rows in linked tables (跟进记录 / 成交记录) whose 客户 column links to
// the customer's row. NocoDB 0.301 accepts the link inside the insert for a belongs-to column
// ({"客户": {"Id": 7}}), so row and link are one request and cannot half-succeed. The row carries
// Liaison's own id (记录ID / 成交ID): NocoDB has no idempotency key, so every create first looks
// that id up, and a retry after a lost reply returns the row the first attempt made. Template
// values go on top of the row, typed; the link, the own id and the key stay Liaison's.
import { CrmError } from '../errors';
import type { RemoteRef } from '../port';
import { call, seg, type NocodbContext } from './client';
import { tableMeta, type Column, type TableMeta } from './meta';
import { insertRow, listRows, whereOf, type Row } from './records';
import { CUSTOMER_LINK_TITLE, LINK_TYPES, RECOMMENDED_TABLES, type TableKey } from './schema';
import { tableId } from './tables';
import type { TemplateFields } from '../template-values';
import { templateCells } from './template-cells';
import { checkSelects, rowId, type FieldNames } from './values';

/** The column linking a follow-up/deal row to its customer: titled 客户 if there is one, else any link to the customers table. */
export function customerLinkColumn(meta: TableMeta, customersTable: string): Column | undefined {
  const links = meta.columns.filter((c) => LINK_TYPES.includes(c.uidt) && c.colOptions?.fk_related_model_id === customersTable);
  return links.find((c) => c.title === CUSTOMER_LINK_TITLE) ?? links[0];
}

const isSingle = (c: Column) => c.colOptions?.type === 'bt' || c.colOptions?.type === 'oo';

function linkValue(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'number') return v > 0;
  return v !== null && v !== undefined && v !== '';
}

async function link(ctx: NocodbContext, table: string, col: Column, rowIdValue: string, customerId: number | string, signal?: AbortSignal): Promise<void> {
  await call(ctx, 'post', `api/v2/tables/${seg(table)}/links/${seg(col.id)}/records/${seg(rowIdValue)}`, {
    json: isSingle(col) ? { Id: customerId } : [{ Id: customerId }],
    write: true,
    signal,
  });
}

export async function createLinkedRow(
  ctx: NocodbContext,
  key: Exclude<TableKey, 'customers'>,
  own: { title: string | undefined; value: string },
  remoteCustomerId: string,
  build: (meta: TableMeta) => Row,
  template: { section: 'followUp' | 'deal'; names: FieldNames; fields: TemplateFields | undefined },
  signal?: AbortSignal,
): Promise<RemoteRef> {
  const table = await tableId(ctx, key, signal);
  const customers = await tableId(ctx, 'customers', signal);
  // Template values are typed (and refused) before anything is written or looked up; a title
  // missing from the cached columns has them read afresh, and that list is the one used below.
  const { cells: templated, meta } = await templateCells(ctx, table, await tableMeta(ctx, table, signal), template.section, template.names, template.fields, signal);
  const col = customerLinkColumn(meta, customers);
  if (!col) {
    const title = RECOMMENDED_TABLES[key].title;
    throw new CrmError('validation', `NocoDB: the ${key} table has no link column to the customers table`, {
      userMessage: {
        zh_CN: `NocoDB 的「${title}」表没有链接到客户表的字段：请点击「创建推荐表格」或添加一个「客户」链接字段`,
        en: `NocoDB's ${title} table has no link to the customers table: create the recommended tables or add a 客户 link field`,
      },
    });
  }
  const customerId = /^\d+$/.test(remoteCustomerId) ? Number(remoteCustomerId) : remoteCustomerId;
  const ownCol = own.title && meta.columns.some((c) => c.title === own.title) ? own.title : undefined;

  // A row this follow-up/deal already made (the reply to an earlier attempt was lost).
  if (ownCol) {
    const where = whereOf([{ field: ownCol, op: 'eq', value: own.value }], 'and');
    const { rows } = await listRows(ctx, table, { where, fields: ['Id', col.title], limit: 1, signal });
    const found = rows[0];
    const id = found ? rowId(found) : undefined;
    if (found && id) {
      if (!linkValue(found[col.title])) await link(ctx, table, col, id, customerId, signal);
      return { remoteId: id };
    }
  }

  const row = { ...build(meta), ...templated };
  checkSelects(meta, row);
  if (isSingle(col)) {
    return { remoteId: await insertRow(ctx, table, { ...row, [col.title]: { Id: customerId } }, signal) };
  }
  // Many-to-many / has-many from this side: NocoDB links in a second request.
  const id = await insertRow(ctx, table, row, signal);
  await link(ctx, table, col, id, customerId, signal);
  return { remoteId: id };
}
