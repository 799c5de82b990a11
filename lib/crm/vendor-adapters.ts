// Every vendor's adapter factory (all CRMs but the local one). lib/crm/adapters.ts adds the local
// CRM; the service worker loads this list in its vendors chunk, on the first vendor adapter
// (lib/background-start/boundary.ts), so its start bundle carries no vendor code.
import type { LiaisonDb } from '../db/db';
import type { CrmId } from './registry';
import type { AdapterDeps, CrmAdapter } from './port';
import { createZhibangAdapter } from './zhibang/adapter';
import { createFeishuBitableAdapter } from './feishu-bitable/adapter';
import { createNocodbAdapter } from './nocodb/adapter';
import { createHubspotAdapter } from './hubspot/adapter';
import { createSalesforceAdapter } from './salesforce/adapter';
import { createPipedriveAdapter } from './pipedrive/adapter';
import { createZohoAdapter } from './zoho/adapter';
import { createNotionAdapter } from './notion/adapter';
import { createAirtableAdapter } from './airtable/adapter';
import { createDynamicsAdapter } from './dynamics/adapter';
import { createMondayAdapter } from './monday/adapter';
import { createJiraAdapter } from './jira/adapter';
import { createDingtalkAdapter } from './dingtalk/adapter';
import { createWecomAdapter } from './wecom/adapter';
import { createZendeskAdapter } from './zendesk/adapter';
import { createAsanaAdapter } from './asana/adapter';
import { createFreshdeskAdapter } from './freshdesk/adapter';
import { createTrelloAdapter } from './trello/adapter';
import { createLinearAdapter } from './linear/adapter';
import { createClickUpAdapter } from './clickup/adapter';

export type AdapterFactory = (deps: AdapterDeps<LiaisonDb>) => CrmAdapter;
export type VendorId = Exclude<CrmId, 'local'>;

export const vendorAdapterFactories: Record<VendorId, AdapterFactory> = {
  zhibang: (deps) => createZhibangAdapter(deps),
  'feishu-bitable': (deps) => createFeishuBitableAdapter(deps),
  nocodb: (deps) => createNocodbAdapter(deps),
  hubspot: (deps) => createHubspotAdapter(deps),
  salesforce: (deps) => createSalesforceAdapter(deps),
  pipedrive: (deps) => createPipedriveAdapter(deps),
  zoho: (deps) => createZohoAdapter(deps),
  notion: (deps) => createNotionAdapter(deps),
  airtable: (deps) => createAirtableAdapter(deps),
  dynamics: (deps) => createDynamicsAdapter(deps),
  monday: (deps) => createMondayAdapter(deps),
  jira: (deps) => createJiraAdapter(deps),
  asana: (deps) => createAsanaAdapter(deps),
  freshdesk: (deps) => createFreshdeskAdapter(deps),
  trello: (deps) => createTrelloAdapter(deps),
  linear: (deps) => createLinearAdapter(deps),
  clickup: (deps) => createClickUpAdapter(deps),
  dingtalk: (deps) => createDingtalkAdapter(deps),
  wecom: (deps) => createWecomAdapter(deps),
  zendesk: (deps) => createZendeskAdapter(deps),
};

export function vendorAdapterFor(kind: string, deps: AdapterDeps<LiaisonDb>): CrmAdapter | undefined {
  const factory = (vendorAdapterFactories as Record<string, AdapterFactory | undefined>)[kind];
  return factory?.(deps);
}
