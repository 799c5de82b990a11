// prepare ("check the external ID field"): REST cannot create fields (that needs the Metadata
// API and Customize Application), so the user creates Liaison_Id__c and this checks which
// objects have it as an External ID (sobjects/{Object}/describe). The result is kept in the
// settings (externalIdObjects), so writes know up front whether to upsert or to search + insert.
import { z } from 'zod';
import { CrmError } from '../errors';
import type { PrepareResult } from '../port';
import { sfCall, type SalesforceContext } from './client';
import { WRITTEN_OBJECTS, type WrittenObject } from './config';

const describe = z.object({ fields: z.array(z.object({ name: z.string(), externalId: z.boolean().optional(), unique: z.boolean().optional() }).passthrough()) }).passthrough();

export async function prepare(ctx: SalesforceContext, signal?: AbortSignal): Promise<PrepareResult> {
  const field = ctx.config.externalIdField;
  const have: WrittenObject[] = [];
  const problems: string[] = [];
  for (const object of WRITTEN_OBJECTS) {
    if (object === 'Contact' && ctx.config.customerObject !== 'Contact') continue;
    if (object === 'Lead' && ctx.config.customerObject !== 'Lead') continue;
    try {
      const d = await sfCall(ctx, 'get', `sobjects/${object}/describe`, { signal, schema: describe });
      const f = d.fields.find((x) => x.name.toLowerCase() === field.toLowerCase());
      if (f?.externalId) have.push(object);
      // Case: optional. Without it a ticket is looked up (Subject + the trace in Description) before it is created.
      else if (object === 'Case') continue;
      else problems.push(`${object}.${field} ${f ? '(not an External ID)' : '(missing: Text 100, External ID, Unique)'}`);
    } catch (e) {
      if (e instanceof CrmError && e.kind === 'not-found') {
        if (object !== 'Case') problems.push(`${object} (not accessible)`);
      }
      else throw e;
    }
  }
  for (const o of have) ctx.noExternalId.delete(o);
  return { settings: { externalIdObjects: have }, created: [], problems, usable: true };
}
