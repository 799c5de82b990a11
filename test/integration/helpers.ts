// Per-file set-up against the shared NocoDB: a fresh base (so every file starts from empty
// tables), a connection row as the options page would save it, and the adapter for it.
import { inject } from 'vitest';
import { createNocodbAdapter, type NocodbAdapter } from '../../lib/crm/nocodb/adapter';
import { resetLimiters } from '../../lib/crm/rate-limiter';
import type { Connection, Customer } from '../../lib/model';

export function server() {
  return inject('nocodb');
}

/** A raw call with the admin token (what "counted in NocoDB itself" reads; never the adapter). */
export async function api<T = unknown>(method: string, path: string, body?: unknown, token = server().token): Promise<{ status: number; body: T }> {
  const res = await fetch(new URL(path, server().url), {
    method,
    headers: { 'xc-token': token, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

export async function freshBase(title: string): Promise<string> {
  const r = await api<{ id: string }>('POST', '/api/v2/meta/bases', { title });
  if (r.status !== 200 || !r.body.id) throw new Error(`could not create base: ${r.status}`);
  return r.body.id;
}

export function connectionFor(baseId: string, over: Record<string, unknown> = {}, id = `nocodb-${baseId}`): Connection {
  return { id, kind: 'nocodb', name: 'NocoDB', enabled: true, settings: { host: server().url, base_id: baseId, customers_table: '', followups_table: '', deals_table: '', codeMaster: true, ...over }, createdAt: 0 };
}

export function adapterFor(connection: Connection, token = server().token): NocodbAdapter {
  return createNocodbAdapter({ db: undefined, connection, secrets: { api_token: token }, now: Date.now });
}

/** A base with the recommended tables, and an adapter on it. */
export async function preparedBase(title: string): Promise<{ baseId: string; connection: Connection; adapter: NocodbAdapter; tables: { customers: string; followUps: string; deals: string } }> {
  resetLimiters();
  const baseId = await freshBase(title);
  const connection = connectionFor(baseId);
  const adapter = adapterFor(connection);
  const r = await adapter.setupRecommendedTables();
  if (!r.ok) throw new Error(`setup not ok: ${JSON.stringify([...r.missing, ...r.incompatible])}`);
  return { baseId, connection, adapter, tables: { customers: r.tables.customers!, followUps: r.tables.followUps!, deals: r.tables.deals! } };
}

export async function count(table: string, where?: string): Promise<number> {
  const r = await api<{ count: number }>('GET', `/api/v2/tables/${table}/records/count${where ? `?where=${encodeURIComponent(where)}` : ''}`);
  if (r.status !== 200) throw new Error(`count failed: ${r.status}`);
  return r.body.count;
}

export async function allRows(table: string, fields: string[]): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (let offset = 0; ; offset += 1000) {
    const r = await api<{ list: Record<string, unknown>[] }>('GET', `/api/v2/tables/${table}/records?limit=1000&offset=${offset}&sort=Id&fields=${encodeURIComponent(fields.join(','))}`);
    out.push(...r.body.list);
    if (r.body.list.length < 1000) return out;
  }
}

let seq = 0;
export function customer(over: Partial<Customer> = {}): Customer {
  seq++;
  const now = Date.now();
  return { id: `c-${now}-${seq}`, code: `L-T${seq}`, name: `客户${seq}`, phones: [], tags: [], stage: '新客户', createdAt: now, updatedAt: now, searchKeys: [], ...over };
}
