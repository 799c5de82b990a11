// Writes keyed by Liaison's idempotency key. With the external ID field (Liaison_Id__c by
// default) a create is an upsert — PATCH sobjects/{Object}/{Field}/{key} — so a retry after a
// lost reply updates the record the first attempt made instead of adding a second one:
// 201 created, 200 (API ≥ 46) or 204 (older) updated. Without the field Salesforce answers 404
// "Provided external ID field does not exist or is not accessible": remembered per adapter,
// and that object falls back to a plain POST (create.ts searches first for customers).
import { z } from 'zod';
import { CrmError } from '../errors';
import { sfCall, type SalesforceContext } from './client';
import type { WrittenObject } from './config';

const saveResult = z.object({ id: z.string().min(1), success: z.boolean().optional(), created: z.boolean().optional() }).passthrough();
const idRow = z.object({ Id: z.string().min(1) }).passthrough();

export function usesExternalId(ctx: SalesforceContext, object: WrittenObject): boolean {
  if (ctx.noExternalId.has(object)) return false;
  return ctx.config.externalIdObjects ? ctx.config.externalIdObjects.includes(object) : true;
}

export function missingExternalIdField(e: unknown): boolean {
  return e instanceof CrmError && e.kind === 'not-found' && /external ID field/i.test(e.message);
}

export async function insert(ctx: SalesforceContext, object: WrittenObject, fields: Record<string, unknown>, signal?: AbortSignal): Promise<string> {
  const r = await sfCall(ctx, 'post', `sobjects/${object}`, { json: fields, write: true, signal, schema: saveResult });
  return r.id;
}

/** Upsert on the external ID when the object has it; else insert. Returns the record id and whether it was new. */
export async function writeKeyed(
  ctx: SalesforceContext,
  object: WrittenObject,
  key: string,
  fields: Record<string, unknown>,
  signal?: AbortSignal,
  /** Without the external ID, a search for the record a lost reply may have made (customers only). */
  beforeInsert?: () => Promise<string | undefined>,
): Promise<{ id: string; created: boolean; keyed: boolean }> {
  if (usesExternalId(ctx, object)) {
    const path = `sobjects/${object}/${ctx.config.externalIdField}/${encodeURIComponent(key)}`;
    try {
      const r = await sfCall(ctx, 'patch', path, { json: fields, write: true, signal, schema: saveResult.optional() });
      if (r) return { id: r.id, created: r.created ?? true, keyed: true };
      // 204 No Content (API < 46): read the id back by the same key.
      const row = await sfCall(ctx, 'get', path, { searchParams: { fields: 'Id' }, signal, schema: idRow });
      return { id: row.Id, created: false, keyed: true };
    } catch (e) {
      if (!missingExternalIdField(e)) throw e;
      ctx.noExternalId.add(object);
    }
  }
  const existing = await beforeInsert?.();
  if (existing) return { id: existing, created: false, keyed: false };
  return { id: await insert(ctx, object, fields, signal), created: true, keyed: false };
}
