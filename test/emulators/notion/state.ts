// The Notion emulator's store and its value rules: data sources with typed property schemas,
// pages whose property values are checked against them the way Notion checks them, comments,
// users. Shapes: developers.notion.com reference/page, /page-property-values, /data-source,
// /comment-object, /user, /property-object (API version 2025-09-03), read 2026-12; cross-checked
// with the request types of @notionhq/client 5.x (build/src/api-endpoints) and, where it covers
// them, shared/specs/notion.json.
import { randomUUID } from 'node:crypto';

export type Json = Record<string, any>;

export interface EmProperty {
  id: string;
  name: string;
  type: string;
  config: Json;
}
export interface EmDataSource {
  id: string;
  databaseId: string;
  title: string;
  properties: Map<string, EmProperty>;
  /** Shared with the integration (Connections menu): otherwise 404 object_not_found. */
  shared: boolean;
}
export interface EmDatabase {
  id: string;
  title: string;
  dataSources: string[];
}
export interface EmPage {
  id: string;
  dataSourceId: string;
  /** Stored values in Notion's write form, normalized ({title:[…]}, {select:{name}}…). */
  values: Map<string, Json>;
  createdAt: number;
  editedAt: number;
  createdBy: string;
  editedBy: string;
  inTrash: boolean;
}
export interface EmComment {
  id: string;
  pageId: string;
  createdAt: number;
  createdBy: string;
  text: string;
}
export interface EmUser {
  id: string;
  type: 'person' | 'bot';
  name: string;
}
export interface RequestLogEntry {
  at: number;
  method: string;
  path: string;
  api: string;
  status: number;
  outcome: 'replied' | 'dropped' | 'refused';
  body?: unknown;
  /** A 429's Retry-After, in ms. */
  retryAfterMs?: number;
}

export interface State {
  users: Map<string, EmUser>;
  databases: Map<string, EmDatabase>;
  dataSources: Map<string, EmDataSource>;
  pages: Map<string, EmPage>;
  comments: EmComment[];
  requests: RequestLogEntry[];
}

export const newId = () => randomUUID();
export const createState = (): State => ({ users: new Map(), databases: new Map(), dataSources: new Map(), pages: new Map(), comments: [], requests: [] });

/** Notion rounds created_time / last_edited_time down to the minute (changelog, 2022). */
export const minute = (ms: number) => Math.floor(ms / 60_000) * 60_000;
export const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '.000Z');

export const PROPERTY_TYPES = ['title', 'rich_text', 'number', 'select', 'multi_select', 'status', 'date', 'people', 'email', 'phone_number', 'url', 'checkbox', 'relation', 'created_time', 'last_edited_time', 'formula', 'unique_id'] as const;
const READ_ONLY = new Set(['created_time', 'last_edited_time', 'formula', 'unique_id']);

export class ValidationError extends Error {}

function richTextIn(name: string, v: unknown): string {
  if (!Array.isArray(v)) throw new ValidationError(`${name} is expected to be rich_text.`);
  if (v.length > 100) throw new ValidationError(`body failed validation: body.properties.${name}.rich_text.length should be ≤ \`100\`, instead was \`${v.length}\`.`);
  let out = '';
  for (const item of v) {
    const content = item?.text?.content;
    if (typeof content !== 'string') throw new ValidationError(`${name} is expected to be rich_text.`);
    if (content.length > 2000) throw new ValidationError(`body failed validation: body.properties.${name}.rich_text[0].text.content.length should be ≤ \`2000\`, instead was \`${content.length}\`.`);
    out += content;
  }
  return out;
}

const optionName = (name: string, v: unknown): string => {
  if (!v || typeof v !== 'object' || typeof (v as Json).name !== 'string') throw new ValidationError(`${name} is expected to be select.`);
  const n = (v as Json).name as string;
  if (n.includes(',')) throw new ValidationError(`Invalid select option, commas not allowed: ${n}`);
  return n;
};

/** A write value checked against the property: the stored form, or a ValidationError naming the property. */
export function normalizeValue(state: State, p: EmProperty, v: Json): Json {
  const key = Object.keys(v).find((k) => k !== 'type' && k !== 'id');
  if (key !== p.type) throw new ValidationError(`${p.name} is expected to be ${p.type}.`);
  const raw = v[key];
  if (READ_ONLY.has(p.type)) throw new ValidationError(`${p.name} is a ${p.type} property and cannot be edited.`);
  switch (p.type) {
    case 'title':
    case 'rich_text':
      return { [p.type]: richTextIn(p.name, raw) };
    case 'number':
      if (raw !== null && typeof raw !== 'number') throw new ValidationError(`${p.name} is expected to be number.`);
      return { number: raw };
    case 'select': {
      if (raw === null) return { select: null };
      const n = optionName(p.name, raw);
      if (!p.config.options.some((o: Json) => o.name === n)) p.config.options.push({ id: newId().slice(0, 4), name: n, color: 'default' });
      return { select: n };
    }
    case 'status': {
      if (raw === null) return { status: null };
      const n = optionName(p.name, raw);
      if (!p.config.options.some((o: Json) => o.name === n)) throw new ValidationError(`Invalid status option. Status option "${n}" does not exist for ${p.name}.`);
      return { status: n };
    }
    case 'multi_select': {
      if (!Array.isArray(raw)) throw new ValidationError(`${p.name} is expected to be multi_select.`);
      const names = raw.map((o) => optionName(p.name, o));
      for (const n of names) if (!p.config.options.some((o: Json) => o.name === n)) p.config.options.push({ id: newId().slice(0, 4), name: n, color: 'default' });
      return { multi_select: names };
    }
    case 'date': {
      if (raw === null) return { date: null };
      if (typeof raw?.start !== 'string' || Number.isNaN(Date.parse(raw.start)) || !/^\d{4}-\d{2}-\d{2}/.test(raw.start)) throw new ValidationError(`${p.name} is expected to be date.`);
      return { date: raw.start };
    }
    case 'email':
    case 'phone_number':
    case 'url':
      if (raw !== null && typeof raw !== 'string') throw new ValidationError(`${p.name} is expected to be ${p.type}.`);
      if (p.type === 'email' && raw && !/^[^@\s]+@[^@\s]+$/.test(raw)) throw new ValidationError(`body failed validation: body.properties.${p.name}.email should be a valid email, instead was \`${raw}\`.`);
      return { [p.type]: raw || null };
    case 'checkbox':
      if (typeof raw !== 'boolean') throw new ValidationError(`${p.name} is expected to be checkbox.`);
      return { checkbox: raw };
    case 'relation': {
      if (!Array.isArray(raw) || raw.some((r) => typeof r?.id !== 'string')) throw new ValidationError(`${p.name} is expected to be relation.`);
      for (const r of raw) {
        const target = state.pages.get(r.id);
        if (!target || target.dataSourceId !== p.config.data_source_id) throw new ValidationError(`Relation to ${r.id} is not a page of the related data source.`);
      }
      return { relation: raw.map((r) => r.id) };
    }
    default:
      throw new ValidationError(`${p.name} is not supported by this emulator.`);
  }
}

const richOut = (s: string) => (s ? [{ type: 'text', text: { content: s, link: null }, annotations: { bold: false, italic: false, strikethrough: false, underline: false, code: false, color: 'default' }, plain_text: s, href: null }] : []);

/** A property value as a page reply carries it. */
export function valueOut(p: EmProperty, page: EmPage): Json {
  const stored = page.values.get(p.name);
  const base = { id: p.id, type: p.type };
  switch (p.type) {
    case 'title':
    case 'rich_text':
      return { ...base, [p.type]: richOut(stored?.[p.type] ?? '') };
    case 'select':
    case 'status': {
      const n = stored?.[p.type];
      const o = n ? p.config.options.find((x: Json) => x.name === n) : undefined;
      return { ...base, [p.type]: n ? { id: o?.id ?? 'x', name: n, color: o?.color ?? 'default' } : null };
    }
    case 'multi_select':
      return { ...base, multi_select: (stored?.multi_select ?? []).map((n: string) => ({ id: p.config.options.find((o: Json) => o.name === n)?.id ?? 'x', name: n, color: 'default' })) };
    case 'date':
      return { ...base, date: stored?.date ? { start: stored.date, end: null, time_zone: null } : null };
    case 'relation':
      return { ...base, relation: (stored?.relation ?? []).map((id: string) => ({ id })), has_more: false };
    case 'created_time':
      return { ...base, created_time: iso(minute(page.createdAt)) };
    case 'last_edited_time':
      return { ...base, last_edited_time: iso(minute(page.editedAt)) };
    case 'number':
    case 'email':
    case 'phone_number':
    case 'url':
      return { ...base, [p.type]: stored?.[p.type] ?? null };
    case 'checkbox':
      return { ...base, checkbox: stored?.checkbox ?? false };
    default:
      return { ...base, [p.type]: null };
  }
}

export function pageOut(state: State, page: EmPage): Json {
  const ds = state.dataSources.get(page.dataSourceId)!;
  const properties: Json = {};
  for (const p of ds.properties.values()) properties[p.name] = valueOut(p, page);
  return {
    object: 'page',
    id: page.id,
    created_time: iso(minute(page.createdAt)),
    last_edited_time: iso(minute(page.editedAt)),
    created_by: { object: 'user', id: page.createdBy },
    last_edited_by: { object: 'user', id: page.editedBy },
    cover: null,
    icon: null,
    parent: { type: 'data_source_id', data_source_id: ds.id, database_id: ds.databaseId },
    archived: page.inTrash,
    in_trash: page.inTrash,
    is_locked: false,
    properties,
    url: `https://www.notion.so/${page.id.replace(/-/g, '')}`,
    public_url: null,
  };
}

export function propertySchemaOut(p: EmProperty): Json {
  return { id: p.id, name: p.name, type: p.type, description: null, [p.type]: p.config };
}

export function dataSourceOut(ds: EmDataSource): Json {
  const properties: Json = {};
  for (const p of ds.properties.values()) properties[p.name] = propertySchemaOut(p);
  return { object: 'data_source', id: ds.id, title: richOut(ds.title), description: [], parent: { type: 'database_id', database_id: ds.databaseId }, database_parent: { type: 'workspace', workspace: true }, properties, archived: false, in_trash: false };
}

/** A property schema from a PATCH /v1/data_sources body entry ({rich_text:{}}, {select:{options}}, {relation:{data_source_id,…}}). */
export function propertyFromSchema(state: State, name: string, def: Json): EmProperty {
  const type = Object.keys(def ?? {}).find((k) => (PROPERTY_TYPES as readonly string[]).includes(k));
  if (!type) throw new ValidationError(`body failed validation: body.properties.${name} should be a property schema.`);
  if (type === 'title') throw new ValidationError('Cannot create new title property. A data source can only have one title property.');
  const cfg = def[type] ?? {};
  const config: Json = { ...cfg };
  if (type === 'select' || type === 'multi_select' || type === 'status') config.options = (cfg.options ?? []).map((o: Json) => ({ id: newId().slice(0, 4), name: o.name, color: o.color ?? 'default' }));
  if (type === 'relation') {
    if (typeof cfg.data_source_id !== 'string' || !state.dataSources.has(cfg.data_source_id)) throw new ValidationError(`Relation property ${name} needs the data_source_id of a data source shared with the integration.`);
    if (cfg.type !== 'single_property' && cfg.type !== 'dual_property') throw new ValidationError(`body failed validation: body.properties.${name}.relation.type should be "single_property" or "dual_property".`);
  }
  return { id: newId().slice(0, 4), name, type, config };
}
