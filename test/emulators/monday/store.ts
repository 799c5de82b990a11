// The monday emulator's in-memory account: boards, columns, items, column values and updates,
// and the column value rules per documented column type (developer.monday.com
// api-reference/reference/column-types-reference, read 2026-12-06): the JSON each type takes in
// column_values and the `value` / `text` it reads back with. A value a type does not take is a
// ColumnValueException; a column id the board lacks an InvalidColumnIdException (codes from
// api-reference/docs/error-handling; the error_data keys are our assumption, see server.ts).
import { GraphQLError } from 'graphql';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export interface EmColumn { id: string; title: string; type: string; labels: string[] }
export interface EmUpdate { id: string; itemId: string; body: string; createdAt: number; creatorId: string }
export interface EmItem {
  id: string;
  boardId: string;
  name: string;
  state: 'active' | 'archived' | 'deleted';
  createdAt: number;
  updatedAt: number;
  creatorId: string;
  /** Column id → the stored value (the `value` JSON) and its text. */
  values: Record<string, { value: Json; text: string }>;
  updates: EmUpdate[];
}
export interface EmBoard { id: string; name: string; columns: EmColumn[]; workspace: string }
export interface EmUser { id: string; name: string; email: string }

/** The column types this emulator stores values for (what the adapter writes); others are refused by name. */
export const SUPPORTED_TYPES = ['text', 'long_text', 'numbers', 'phone', 'email', 'status', 'date', 'dropdown'] as const;

export function gqlError(code: string, message: string, errorData: Record<string, Json> = {}, statusCode = 200): GraphQLError {
  return new GraphQLError(message, { extensions: { code, error_data: errorData, status_code: statusCode } });
}

export function createStore(now: () => number) {
  let seq = 1_900_000_000;
  const nextId = () => String(++seq);
  const users = new Map<string, EmUser>();
  const boards = new Map<string, EmBoard>();
  const items = new Map<string, EmItem>();
  const me: EmUser = { id: nextId(), name: '王销售', email: 'sales@example.com' };
  users.set(me.id, me);

  const columnError = (c: EmColumn, why: string) => gqlError('ColumnValueException', `invalid value for column ${c.id} (${c.type}): ${why}`, { column_id: c.id, column_type: c.type });

  /** Validates one column_values entry and returns what would be stored (nothing is stored yet). */
  function prepareValue(c: EmColumn, raw: Json, createLabels: boolean): { value: Json; text: string; newLabels?: string[] } {
    const clear = raw === '' || raw === null || (typeof raw === 'object' && !Array.isArray(raw) && Object.keys(raw).length === 0);
    if (clear) return { value: null, text: '' };
    const obj = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? raw : undefined;
    const changed_at = new Date(now()).toISOString();
    switch (c.type) {
      case 'text':
        if (typeof raw !== 'string' && typeof raw !== 'number') throw columnError(c, 'a text column takes a string');
        return { value: String(raw), text: String(raw) };
      case 'numbers': {
        const s = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
        if (!/^-?\d+(\.\d+)?$/.test(s)) throw columnError(c, 'a numbers column takes a number');
        return { value: s, text: s };
      }
      case 'long_text': {
        const t = typeof raw === 'string' ? raw : typeof obj?.text === 'string' ? obj.text : undefined;
        if (t === undefined) throw columnError(c, 'a long text column takes {"text": "…"}');
        return { value: { text: t, changed_at }, text: t };
      }
      case 'phone': {
        if (!obj || typeof obj.phone !== 'string' || typeof obj.countryShortName !== 'string') throw columnError(c, 'a phone column takes {"phone", "countryShortName"}');
        if (!/^\+?\d{5,16}$/.test(obj.phone) || !/^[A-Z]{2}$/.test(obj.countryShortName)) throw columnError(c, 'invalid phone or country');
        return { value: { phone: obj.phone, countryShortName: obj.countryShortName, changed_at }, text: obj.phone };
      }
      case 'email': {
        if (!obj || typeof obj.email !== 'string' || typeof obj.text !== 'string') throw columnError(c, 'an email column takes {"email", "text"}');
        if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(obj.email)) throw columnError(c, 'invalid email');
        return { value: { email: obj.email, text: obj.text, changed_at }, text: obj.email };
      }
      case 'status': {
        if (!obj || (typeof obj.label !== 'string' && typeof obj.index !== 'number')) throw columnError(c, 'a status column takes {"label"} or {"index"}');
        const label = typeof obj.label === 'string' ? obj.label : c.labels[obj.index as number];
        if (label === undefined) throw columnError(c, 'no such index');
        const known = c.labels.includes(label);
        if (!known && !createLabels) throw columnError(c, `label "${label}" does not exist (create_labels_if_missing is false)`);
        const index = known ? c.labels.indexOf(label) : c.labels.length;
        return { value: { index, post_id: null, changed_at }, text: label, ...(known ? {} : { newLabels: [label] }) };
      }
      case 'dropdown': {
        if (!obj || !Array.isArray(obj.labels) || !obj.labels.every((l) => typeof l === 'string' && l)) throw columnError(c, 'a dropdown column takes {"labels": [...]}');
        const labels = obj.labels as string[];
        const fresh = labels.filter((l) => !c.labels.includes(l));
        if (fresh.length && !createLabels) throw columnError(c, `labels ${fresh.join(', ')} do not exist`);
        const all = [...c.labels, ...new Set(fresh)];
        return { value: { ids: labels.map((l) => all.indexOf(l) + 1) }, text: labels.join(', '), ...(fresh.length ? { newLabels: [...new Set(fresh)] } : {}) };
      }
      case 'date': {
        if (!obj || typeof obj.date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(obj.date)) throw columnError(c, 'a date column takes {"date": "YYYY-MM-DD", "time"?}');
        if (obj.time !== undefined && obj.time !== null && (typeof obj.time !== 'string' || !/^\d{2}:\d{2}:\d{2}$/.test(obj.time))) throw columnError(c, 'time must be HH:MM:SS');
        if (!Number.isFinite(Date.parse(`${obj.date}T00:00:00Z`))) throw columnError(c, 'invalid date');
        const time = typeof obj.time === 'string' ? obj.time : null;
        return { value: { date: obj.date, ...(time ? { time } : {}), changed_at }, text: time ? `${obj.date} ${time.slice(0, 5)}` : obj.date };
      }
      default:
        throw columnError(c, `column type ${c.type} cannot be written through this emulator`);
    }
  }

  /** Applies a column_values JSON string to an item (all or nothing). */
  function applyValues(board: EmBoard, item: EmItem | undefined, json: unknown, createLabels: boolean): { name?: string; values: Record<string, { value: Json; text: string }>; labels: [EmColumn, string[]][] } {
    let parsed: unknown = json;
    if (typeof json === 'string') {
      try {
        parsed = JSON.parse(json);
      } catch {
        throw gqlError('JsonParseException', 'column_values is not valid JSON');
      }
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw gqlError('ColumnValueException', 'column_values must be a JSON object keyed by column id');
    const out: ReturnType<typeof applyValues> = { values: {}, labels: [] };
    for (const [id, raw] of Object.entries(parsed as Record<string, Json>)) {
      if (id === 'name') {
        if (typeof raw !== 'string' || !raw.trim()) throw gqlError('ColumnValueException', 'the name must be a non-empty string', { column_id: 'name' });
        out.name = raw;
        continue;
      }
      const c = board.columns.find((x) => x.id === id);
      if (!c) throw gqlError('InvalidColumnIdException', `This column ID doesn't exist for the board`, { column_id: id, board_id: board.id });
      const v = prepareValue(c, raw, createLabels);
      out.values[id] = { value: v.value, text: v.text };
      if (v.newLabels) out.labels.push([c, v.newLabels]);
    }
    void item;
    return out;
  }

  return {
    me, users, boards, items, nextId,
    addUser(name: string): string {
      const u = { id: nextId(), name, email: `${name}@example.com` };
      users.set(u.id, u);
      return u.id;
    },
    addBoard(name: string, columns: { title: string; type: string; labels?: string[] }[] = [], workspace = 'Main workspace'): EmBoard {
      const b: EmBoard = { id: nextId(), name, workspace, columns: [{ id: 'name', title: 'Name', type: 'name', labels: [] }] };
      for (const c of columns) b.columns.push({ id: `${c.type}_mk${(++seq).toString(36)}`, title: c.title, type: c.type, labels: c.labels ?? [] });
      boards.set(b.id, b);
      return b;
    },
    /** create_item / a colleague's new item. */
    createItem(board: EmBoard, name: string, json: unknown, createLabels: boolean, creatorId: string): EmItem {
      if (!name.trim()) throw gqlError('ColumnValueException', 'item_name must not be empty', { column_id: 'name' });
      const v = applyValues(board, undefined, json ?? '{}', createLabels);
      for (const [c, ls] of v.labels) c.labels.push(...ls.filter((l) => !c.labels.includes(l)));
      const t = now();
      const item: EmItem = { id: nextId(), boardId: board.id, name: v.name ?? name, state: 'active', createdAt: t, updatedAt: t, creatorId, values: v.values, updates: [] };
      items.set(item.id, item);
      return item;
    },
    changeItem(board: EmBoard, item: EmItem, json: unknown, createLabels: boolean): EmItem {
      const v = applyValues(board, item, json, createLabels);
      for (const [c, ls] of v.labels) c.labels.push(...ls.filter((l) => !c.labels.includes(l)));
      if (v.name) item.name = v.name;
      for (const [id, val] of Object.entries(v.values)) {
        if (val.value === null) delete item.values[id];
        else item.values[id] = val;
      }
      item.updatedAt = Math.max(now(), item.updatedAt + 1);
      return item;
    },
    addUpdate(item: EmItem, body: string, creatorId: string): EmUpdate {
      const u = { id: nextId(), itemId: item.id, body, createdAt: now(), creatorId };
      item.updates.push(u);
      return u;
    },
  };
}
export type Store = ReturnType<typeof createStore>;
