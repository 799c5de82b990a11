// prepare(): the custom properties Liaison relies on, created when missing —
// contacts.liaison_id (unique: the batch/upsert idProperty that makes a retried create land on
// the first attempt's contact), contacts.liaison_code (客户编号) and deals.liaison_id (the
// same for deals). Needs the crm.schemas.contacts.write / crm.schemas.deals.write scopes; a
// property that cannot be created is reported, not fatal. Existing properties are never changed.
import { z } from 'zod';
import { CrmError } from '../errors';
import type { PrepareResult } from '../port';
import { call, type HubspotContext } from './client';
import { LIAISON_CODE_PROPERTY, LIAISON_ID_PROPERTY } from './spec';

interface PropertyDef {
  objectType: 'contacts' | 'deals';
  name: string;
  label: string;
  description: string;
  groupName: string;
  hasUniqueValue: boolean;
}

export const LIAISON_PROPERTIES: PropertyDef[] = [
  { objectType: 'contacts', name: LIAISON_ID_PROPERTY, label: 'Liaison ID', description: 'Liaison customer id (unique; written by the Liaison extension, do not edit)', groupName: 'contactinformation', hasUniqueValue: true },
  { objectType: 'contacts', name: LIAISON_CODE_PROPERTY, label: '客户编号 (Liaison)', description: 'Customer code from Liaison', groupName: 'contactinformation', hasUniqueValue: false },
  { objectType: 'deals', name: LIAISON_ID_PROPERTY, label: 'Liaison ID', description: 'Liaison deal id (unique; written by the Liaison extension, do not edit)', groupName: 'dealinformation', hasUniqueValue: true },
];

const propertySchema = z.object({ name: z.string(), type: z.string().optional(), hasUniqueValue: z.boolean().optional() });

async function exists(ctx: HubspotContext, def: PropertyDef, signal?: AbortSignal): Promise<boolean> {
  try {
    await call(ctx, 'get', `crm/v3/properties/${def.objectType}/${def.name}`, { signal, schema: propertySchema });
    return true;
  } catch (e) {
    if (e instanceof CrmError && e.kind === 'not-found') return false;
    throw e;
  }
}

async function create(ctx: HubspotContext, def: PropertyDef, signal?: AbortSignal): Promise<'created' | 'existed'> {
  try {
    await call(ctx, 'post', `crm/v3/properties/${def.objectType}`, {
      json: { name: def.name, label: def.label, description: def.description, groupName: def.groupName, type: 'string', fieldType: 'text', hasUniqueValue: def.hasUniqueValue, formField: false },
      write: true,
      signal,
      schema: propertySchema,
    });
    return 'created';
  } catch (e) {
    // Another instance created it between our GET and POST.
    if (e instanceof CrmError && e.kind === 'conflict') return 'existed';
    throw e;
  }
}

export async function prepareProperties(ctx: HubspotContext, signal?: AbortSignal): Promise<PrepareResult> {
  const created: string[] = [];
  const problems: string[] = [];
  let contactKey = false;
  for (const def of LIAISON_PROPERTIES) {
    const label = `${def.objectType}.${def.name}`;
    try {
      const ok = (await exists(ctx, def, signal)) || (await create(ctx, def, signal)) === 'existed' || (created.push(label), true);
      if (ok && def.objectType === 'contacts' && def.name === LIAISON_ID_PROPERTY) contactKey = true;
    } catch (e) {
      if (!(e instanceof CrmError) || e.kind === 'rate-limited' || e.kind === 'retryable' || e.kind === 'unknown-outcome') throw e;
      problems.push(`${label} (${e.kind}${e.vendorCode ? ` ${e.vendorCode}` : ''})`);
    }
  }
  // The property lists cached for templates and the editor no longer show everything.
  if (created.length) ctx.properties.clear();
  // Without contacts.liaison_id creates fall back to a plain create deduped by email only.
  return { settings: {}, created, problems, usable: contactKey };
}

/** Once per adapter instance: the lazy prepare a write runs when HubSpot says liaison_id is missing. */
export function ensureProperties(ctx: HubspotContext, signal?: AbortSignal): Promise<unknown> {
  ctx.ensured ??= prepareProperties(ctx, signal).catch((e: unknown) => {
    ctx.ensured = undefined;
    throw e;
  });
  return ctx.ensured;
}

export function missingLiaisonId(e: unknown): boolean {
  return e instanceof CrmError && e.kind === 'validation' && e.message.includes(`${LIAISON_ID_PROPERTY}: PROPERTY_DOESNT_EXIST`);
}
