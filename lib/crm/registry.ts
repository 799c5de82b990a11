// Every CRM Liaison knows, as declared data (UI-safe: no vendor clients).
// Add a CRM here and its factory in adapters.ts; test/unit/crm/registry.test.ts checks both.
import { localSpec } from './local/spec';
import { zhibangSpec } from './zhibang/spec';
import { feishuBitableSpec } from './feishu-bitable/spec';
import { nocodbSpec } from './nocodb/spec';
import { hubspotSpec } from './hubspot/spec';
import { salesforceSpec } from './salesforce/spec';
import { pipedriveSpec } from './pipedrive/spec';
import { zohoSpec } from './zoho/spec';
import { notionSpec } from './notion/spec';
import { airtableSpec } from './airtable/spec';
import { dynamicsSpec } from './dynamics/spec';
import { mondaySpec } from './monday/spec';
import { jiraSpec } from './jira/spec';
import { dingtalkSpec } from './dingtalk/spec';
import { wecomSpec } from './wecom/spec';
import { zendeskSpec } from './zendesk/spec';
import { asanaSpec } from './asana/spec';
import { freshdeskSpec } from './freshdesk/spec';
import { trelloSpec } from './trello/spec';
import { linearSpec } from './linear/spec';
import { clickupSpec } from './clickup/spec';

export const crmSpecs = [localSpec, zhibangSpec, feishuBitableSpec, nocodbSpec, hubspotSpec, salesforceSpec, pipedriveSpec, notionSpec, airtableSpec, dynamicsSpec, mondaySpec, zohoSpec, dingtalkSpec, wecomSpec, jiraSpec, linearSpec, asanaSpec, trelloSpec, clickupSpec, zendeskSpec, freshdeskSpec] as const;

export type CrmId = (typeof crmSpecs)[number]['id'];

export function findSpec(id: string): (typeof crmSpecs)[number] | undefined {
  return crmSpecs.find((s) => s.id === id);
}
