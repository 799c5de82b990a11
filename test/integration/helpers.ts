// Per-file set-up against the shared NocoDB: a fresh base (so every file starts from empty
// tables), a connection row as the options page would save it, and the adapter for it.
import { inject } from 'vitest';
import { createNocodbAdapter, type NocodbAdapter } from '../../lib/crm/nocodb/adapter';
import { resetLimiters } from '../../lib/crm/rate-limiter';
import type { Connection, Customer } from '../../lib/model';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Page } from 'playwright-core';
import type { E2E } from '../e2e/harness';

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

// ---- Browser side (issue 15: two salespeople on one NocoDB) ----


/** A message from an extension page, as the sidebar and options pages send them (lib/messaging/client.ts). */
export async function send<T = unknown>(page: Page, type: string, payload: unknown): Promise<{ ok: boolean; data?: T; error?: { code: string; message: string } }> {
  return page.evaluate(([type, payload]) => chrome.runtime.sendMessage({ liaison: 1, type, payload }), [type, payload] as const) as never;
}

/** The same, failing loudly on a refusal. */
export async function ask<T = unknown>(page: Page, type: string, payload: unknown): Promise<T> {
  const r = await send<T>(page, type, payload);
  if (!r?.ok) throw new Error(`${type} refused: ${JSON.stringify(r?.error ?? r)}`);
  return r.data as T;
}

/**
 * Connect NocoDB in this browser's options page as a user would: host, base, token, 测试连接,
 * 保存. Returns the options page (left open: the test sends its messages from it).
 */
export async function connectNocodbInOptions(e2e: Pick<E2E, 'context' | 'extensionUrl'>, host: string, baseId: string, token = server().token): Promise<Page> {
  const options = await e2e.context.newPage();
  await options.goto(e2e.extensionUrl('options.html'));
  await options.locator('[data-testid="conn-add-nocodb"]').click();
  const form = options.locator('[data-testid="connection-form"]');
  await form.locator('[data-testid="conn-field-host"]').fill(host);
  await form.locator('[data-testid="conn-field-base_id"]').fill(baseId);
  await form.locator('[data-testid="conn-field-api_token"]').fill(token);
  await form.locator('[data-testid="conn-test"]').click();
  await form.locator('[data-testid="conn-test-ok"]').waitFor({ timeout: 30_000 });
  await form.locator('[data-testid="conn-save"]').click();
  await options.locator('[data-testid="connection"]', { hasText: 'NocoDB' }).waitFor({ timeout: 15_000 });
  return options;
}

/** This browser's whole local database, as 导出 writes it (data.export). */
export async function exportOf(page: Page): Promise<{
  customers: (Customer & { codeTemporary?: boolean })[];
  links: { customerId: string; connectionId: string; remoteId?: string; remoteCode?: string; syncState: string; conflicts?: { field: string; kept: string; keptValue: unknown; replacedValue: unknown; at: number }[]; pulledAt?: number; base?: Record<string, unknown> }[];
  followUps: { id: string; customerId: string; content: string; by?: string; origin: string; source?: string }[];
  reminders: { customerId: string; dueAt: number; state: string; source?: string }[];
  outbox: { op: string; connectionId: string; state: string; entity: { table: string; id: string } }[];
  connections: Connection[];
}> {
  const r = await ask<{ json: string }>(page, 'data.export', {});
  return (JSON.parse(r.json) as { tables: never }).tables;
}

export interface ProxiedRequest {
  method: string;
  path: string;
  search: URLSearchParams;
  at: number;
}
export interface HeldRequest extends ProxiedRequest {
  /** Send it on to NocoDB and its answer back. */
  release(): void;
  /** Resolves when the client went away (its service worker was stopped). */
  clientGone: Promise<void>;
}

/**
 * A pass-through HTTP proxy in front of the real NocoDB, for one browser's connection: it logs
 * every request the extension sends (what a pull costs) and can hold the next request that
 * matches, so a test can stop the service worker while that request is in flight.
 */
export async function startNocodbProxy(target = server().url): Promise<{ url: string; log: ProxiedRequest[]; holdNext(match: (r: ProxiedRequest) => boolean): Promise<HeldRequest>; close(): Promise<void> }> {
  const log: ProxiedRequest[] = [];
  const holds: { match: (r: ProxiedRequest) => boolean; resolve: (h: HeldRequest) => void }[] = [];
  const forward = async (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    try {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && !['host', 'connection', 'content-length', 'accept-encoding'].includes(k)) headers[k] = v;
      const up = await fetch(new URL(req.url ?? '/', target), { method: req.method, headers, ...(body.length && req.method !== 'GET' && req.method !== 'HEAD' ? { body: new Uint8Array(body) } : {}) });
      const out = Buffer.from(await up.arrayBuffer());
      const h: Record<string, string> = {};
      up.headers.forEach((v, k) => {
        if (!['content-encoding', 'content-length', 'transfer-encoding', 'connection'].includes(k)) h[k] = v;
      });
      res.writeHead(up.status, { ...h, 'content-length': String(out.length) });
      res.end(out);
    } catch {
      res.destroy();
    }
  };
  const srv = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://proxy.local');
      const entry: ProxiedRequest = { method: req.method ?? 'GET', path: url.pathname, search: url.searchParams, at: Date.now() };
      log.push(entry);
      const i = holds.findIndex((h) => h.match(entry));
      if (i < 0) return void forward(req, res, Buffer.concat(chunks));
      const [hold] = holds.splice(i, 1);
      const clientGone = new Promise<void>((resolve) => res.on('close', () => resolve()));
      hold!.resolve({ ...entry, clientGone, release: () => void forward(req, res, Buffer.concat(chunks)) });
    });
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const addr = srv.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    holdNext: (match) => new Promise<HeldRequest>((resolve) => holds.push({ match, resolve })),
    close: () =>
      new Promise<void>((resolve) => {
        srv.closeAllConnections();
        srv.close(() => resolve());
      }),
  };
}

/** A changes page of the pull (lib/crm/nocodb/read.ts changesSince): the customers list filtered on modified time. */
export const isChangesRequest = (r: ProxiedRequest) => r.method === 'GET' && /\/api\/v2\/tables\/[^/]+\/records$/.test(r.path) && /exactDate/.test(r.search.get('where') ?? '');
