// Deals and tasks: items on their own boards, pointing at the customer's item through the
// "Liaison 客户" text column (the customer item id), made once by the Liaison key column
// (lookup before create). listDeals is items_page_by_column_values on that column.
//
// Why a text column and not board_relation (connect boards): items_page_by_column_values does
// not search board_relation columns (its documented supported types are text-like, status,
// date, dropdown…), so a relation could not be looked up by customer without reading the whole
// deals board; and a board_relation needs the customers board allowed in its settings, which
// setup cannot do through create_column. A user may still add a connect-boards column by hand.
//
// Why tasks are items on a tasks board with a date column and not the deals board's subitems:
// a reminder belongs to the customer, who may have no deal yet (a subitem needs a parent item),
// and subitems live on a hidden subitems board whose columns setup would have to find through
// the subtasks column's settings. A tasks board is a board the user sees and chooses.

import { DEAL_STATUSES, type Deal, type DealStatus } from '../../model';
import { CrmError } from '../errors';
import type { ListOptions, RemoteDeal, RemoteRef, TaskInput, WriteOptions } from '../port';
import { MAPPABLE_DEAL_FIELDS } from '../spec';
import { board, findColumn } from './boards';
import type { MondayContext } from './client';
import type { BoardRole } from './config';
import { createItemOnce, itemsWhere, keyColumn, templated } from './items';
import { mondayTime, type Board, type Column, type Item } from './objects';
import { CUSTOMER_ITEM_COLUMN, mondaySpec, TASK_DUE_COLUMN, TASK_NOTE_COLUMN } from './spec';
import { dateValue, encode, readDate } from './values';

export type DealField = (typeof MAPPABLE_DEAL_FIELDS)[number];

export function dealNames(ctx: MondayContext): Partial<Record<DealField, string>> {
  return { ...mondaySpec.defaultMapping.deal, ...ctx.config.mapping.deal };
}

export function customerColumn(b: Board): Column {
  const c = findColumn(b, CUSTOMER_ITEM_COLUMN);
  if (c && c.type === 'text') return c;
  throw new CrmError('validation', `monday: board ${b.id} has no text column "${CUSTOMER_ITEM_COLUMN}"`, {
    vendorCode: 'NO_CUSTOMER_COLUMN',
    userMessage: {
      zh_CN: `monday 看板「${b.name}」缺少指向客户的「${CUSTOMER_ITEM_COLUMN}」列，请在连接设置中点「添加 Liaison 需要的列」`,
      en: `The monday board "${b.name}" lacks the "${CUSTOMER_ITEM_COLUMN}" column pointing at the customer; click "Add the columns Liaison needs"`,
    },
  });
}

async function createLinked(ctx: MondayContext, role: BoardRole, customerItemId: string, key: string, name: string, build: (b: Board) => Record<string, unknown>, opts: WriteOptions): Promise<RemoteRef> {
  if (!/^\d{1,20}$/.test(customerItemId)) throw new CrmError('validation', `monday: "${customerItemId.slice(0, 40)}" is not an item id`);
  const b = await board(ctx, role, opts.signal);
  keyColumn(b);
  const values = { ...build(b), ...templated(b, opts.fields), [customerColumn(b).id]: customerItemId };
  const { item } = await createItemOnce(ctx, b, key, name, values, opts.signal);
  return { remoteId: item.id };
}

export function createDeal(ctx: MondayContext, customerItemId: string, d: Deal, opts: WriteOptions): Promise<RemoteRef> {
  const names = dealNames(ctx);
  return createLinked(ctx, 'deals', customerItemId, d.id, d.product, (b) => {
    const out: Record<string, unknown> = {};
    const set = (field: DealField, v: unknown) => {
      const ref = names[field];
      if (!ref || ref === 'name' || v === undefined || v === null || v === '') return;
      const c = findColumn(b, ref);
      const enc = c ? encode(c, v) : undefined;
      if (c && enc !== undefined) out[c.id] = enc;
    };
    for (const f of ['institution', 'amount', 'rate', 'termMonths', 'commission', 'status', 'closedAt'] as const) set(f, d[f]);
    return out;
  }, opts);
}

export function createTask(ctx: MondayContext, customerItemId: string, t: TaskInput, opts: WriteOptions): Promise<RemoteRef> {
  return createLinked(ctx, 'tasks', customerItemId, opts.idempotencyKey, t.title, (b) => {
    const due = findColumn(b, TASK_DUE_COLUMN);
    if (!due || due.type !== 'date') {
      throw new CrmError('validation', `monday: the tasks board has no date column "${TASK_DUE_COLUMN}"`, {
        vendorCode: 'NO_DUE_DATE',
        userMessage: { zh_CN: `monday 任务看板缺少「${TASK_DUE_COLUMN}」日期列，请点「添加 Liaison 需要的列」`, en: `The monday tasks board lacks the "${TASK_DUE_COLUMN}" date column; click "Add the columns Liaison needs"` },
      });
    }
    const out: Record<string, unknown> = { [due.id]: dateValue(t.dueAt) };
    const note = findColumn(b, TASK_NOTE_COLUMN);
    if (t.note && note) {
      const enc = encode(note, t.note);
      if (enc !== undefined) out[note.id] = enc;
    }
    return out;
  }, opts);
}

function textOf(item: Item, c: Column | undefined): string {
  return c ? (item.column_values.find((cv) => cv.id === c.id)?.text ?? '').trim() : '';
}

export async function listDeals(ctx: MondayContext, customerItemId: string, opts: ListOptions = {}): Promise<RemoteDeal[]> {
  const b = await board(ctx, 'deals', opts.signal);
  const names = dealNames(ctx);
  const col = (f: DealField) => (names[f] && names[f] !== 'name' ? findColumn(b, names[f]) : undefined);
  const key = findColumn(b, 'Liaison key');
  const items = await itemsWhere(ctx, b, customerColumn(b).id, [customerItemId], opts.signal);
  const rows: RemoteDeal[] = [];
  for (const item of items) {
    if (item.state && item.state !== 'active') continue;
    if (textOf(item, customerColumn(b)) !== customerItemId) continue;
    const status = textOf(item, col('status'));
    if (!(DEAL_STATUSES as readonly string[]).includes(status)) continue;
    const createdAt = mondayTime(item.created_at);
    if (opts.since !== undefined && createdAt !== undefined && createdAt < opts.since) continue;
    const amount = textOf(item, col('amount'));
    const closedCol = col('closedAt');
    const closed = closedCol ? readDate(item.column_values.find((cv) => cv.id === closedCol.id)) : null;
    const liaisonKey = textOf(item, key);
    const by = item.creator?.name?.trim();
    rows.push({
      remoteId: item.id,
      product: (names.product === 'name' || !names.product ? item.name : textOf(item, col('product')) || item.name).slice(0, 100),
      ...(amount && /^\d+(\.\d+)?$/.test(amount) ? { amount: Number(amount) } : {}),
      status: status as DealStatus,
      ...(typeof closed === 'number' ? { closedAt: closed } : {}),
      ...(createdAt !== undefined ? { createdAt } : {}),
      ...(by ? { by } : {}),
      ...(liaisonKey ? { liaisonKey } : {}),
    });
  }
  rows.sort((a, b2) => (b2.createdAt ?? 0) - (a.createdAt ?? 0));
  return opts.limit !== undefined ? rows.slice(0, Math.max(0, opts.limit)) : rows;
}

