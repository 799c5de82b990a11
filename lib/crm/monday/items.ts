// Items on a board: lookup by column value, create (lookup before create on the Liaison key
// column), update, read one, and the reserved columns.
//
// Lookup: items_page_by_column_values(board_id, columns: [{column_id, column_values}], limit)
// (api-reference/reference/items-page-by-column-values: "returns items that match ANY of the
// values in one column and ALL the columns"; so each query key is its own call). Supported
// column types include text, phone, email, status, numbers, long_text, date, dropdown — not
// board_relation, which is why deals point at their customer through a text column.
import { z } from 'zod';
import { CrmError } from '../errors';
import type { TemplateValue } from '../template-values';
import { findColumn, titlesOf } from './boards';
import { COMPLEXITY, gql, type MondayContext } from './client';
import { itemSchema, itemsResponseSchema, ITEM_FIELDS, type Board, type Column, type Item } from './objects';
import { CUSTOMER_ITEM_COLUMN, LIAISON_KEY_COLUMN } from './spec';
import { templateValues } from './values';

/** Items matched per lookup call: the documented maximum is 500; a lookup wants the first few. */
const LOOKUP_LIMIT = 50;

const FIND_QUERY = `query FindItems($board: ID!, $columns: [ItemsPageByColumnValuesQuery!], $limit: Int!) { items_page_by_column_values(board_id: $board, columns: $columns, limit: $limit) { cursor items { ${ITEM_FIELDS} } } ${COMPLEXITY} }`;
const findReply = z.object({ items_page_by_column_values: itemsResponseSchema });

export async function itemsWhere(ctx: MondayContext, b: Board, columnId: string, values: string[], signal?: AbortSignal): Promise<Item[]> {
  if (!values.length) return [];
  const data = await gql(ctx, FIND_QUERY, { variables: { board: b.id, columns: [{ column_id: columnId, column_values: values }], limit: LOOKUP_LIMIT }, signal, schema: findReply, titles: titlesOf(b) });
  return data.items_page_by_column_values.items;
}

export function keyColumn(b: Board): Column {
  const c = findColumn(b, LIAISON_KEY_COLUMN);
  if (c && c.type === 'text') return c;
  throw new CrmError('validation', `monday: board ${b.id} has no text column "${LIAISON_KEY_COLUMN}"`, {
    vendorCode: 'NO_KEY_COLUMN',
    userMessage: {
      zh_CN: `monday 看板「${b.name}」缺少「${LIAISON_KEY_COLUMN}」文本列（用于防止重复创建），请在连接设置中点「添加 Liaison 需要的列」`,
      en: `The monday board "${b.name}" lacks the "${LIAISON_KEY_COLUMN}" text column (it prevents duplicates); click "Add the columns Liaison needs" in the connection settings`,
    },
  });
}

/** The item carrying this Liaison key, if any (the oldest, should a colleague have copied one). */
export async function itemByKey(ctx: MondayContext, b: Board, key: string, signal?: AbortSignal): Promise<Item | undefined> {
  const found = await itemsWhere(ctx, b, keyColumn(b).id, [key], signal);
  return found.filter((i) => i.column_values.find((cv) => cv.id === keyColumn(b).id)?.text === key).sort((a, b2) => (a.id.length - b2.id.length) || (a.id < b2.id ? -1 : 1))[0];
}

/** Why a column may not be written by a template: Liaison's own columns. */
export function reservedColumn(c: Column): string | undefined {
  if (c.title === LIAISON_KEY_COLUMN) return 'idempotency key';
  if (c.title === CUSTOMER_ITEM_COLUMN) return 'link to the customer item';
  return undefined;
}

export function templated(b: Board, fields: Record<string, TemplateValue> | undefined): Record<string, unknown> {
  return templateValues(b, fields, reservedColumn);
}

const CREATE = `mutation CreateItem($board: ID!, $name: String!, $values: JSON) { create_item(board_id: $board, item_name: $name, column_values: $values, create_labels_if_missing: true) { ${ITEM_FIELDS} } ${COMPLEXITY} }`;
const createReply = z.object({ create_item: itemSchema });

/** Lookup before create: the item with this key, else a new one. */
export async function createItemOnce(ctx: MondayContext, b: Board, key: string, name: string, values: Record<string, unknown>, signal?: AbortSignal): Promise<{ item: Item; existed: boolean }> {
  const existing = await itemByKey(ctx, b, key, signal);
  if (existing) return { item: existing, existed: true };
  const itemName = name.trim().slice(0, 255) || key;
  const data = await gql(ctx, CREATE, { variables: { board: b.id, name: itemName, values: JSON.stringify({ ...values, [keyColumn(b).id]: key }) }, write: true, signal, schema: createReply, titles: titlesOf(b) });
  return { item: data.create_item, existed: false };
}

const CHANGE = `mutation ChangeValues($board: ID!, $item: ID!, $values: JSON!) { change_multiple_column_values(board_id: $board, item_id: $item, column_values: $values, create_labels_if_missing: true) { ${ITEM_FIELDS} } ${COMPLEXITY} }`;
const changeReply = z.object({ change_multiple_column_values: itemSchema.nullable() });

export async function changeItem(ctx: MondayContext, b: Board, itemId: string, values: Record<string, unknown>, signal?: AbortSignal): Promise<Item> {
  const data = await gql(ctx, CHANGE, { variables: { board: b.id, item: itemId, values: JSON.stringify(values) }, write: true, signal, schema: changeReply, titles: titlesOf(b) });
  if (!data.change_multiple_column_values) throw new CrmError('not-found', `monday: item ${itemId} not found`);
  return data.change_multiple_column_values;
}

const GET = `query GetItems($ids: [ID!]) { items(ids: $ids, limit: 1) { ${ITEM_FIELDS} board { id } } ${COMPLEXITY} }`;
const getReply = z.object({ items: z.array(itemSchema.extend({ board: z.object({ id: z.string() }).nullable().optional() }).nullable()).nullable() });

/** One item, or null when monday no longer has it (deleted or archived: state ≠ active), or it is on another board. */
export async function getItem(ctx: MondayContext, itemId: string, boardId: string | undefined, signal?: AbortSignal): Promise<Item | null> {
  if (!/^\d{1,20}$/.test(itemId)) throw new CrmError('validation', `monday: "${itemId.slice(0, 40)}" is not an item id`);
  const data = await gql(ctx, GET, { variables: { ids: [itemId] }, signal, schema: getReply });
  const item = data.items?.find((i) => i?.id === itemId);
  if (!item) return null;
  if (item.state && item.state !== 'active') return null;
  if (boardId && item.board?.id && item.board.id !== boardId) return null;
  return item;
}
