import { expect, it } from 'vitest';
import { airtableSpec } from '../../../../lib/crm/airtable/spec';
import { crmSpecSchema, hostPatternsFor } from '../../../../lib/crm/spec';
import { readConfig } from '../../../../lib/crm/airtable/config';

it('the Airtable spec is valid, asks for api.airtable.com only, and declares the documented limits', () => {
  expect(crmSpecSchema.safeParse(airtableSpec).success).toBe(true);
  expect(hostPatternsFor(airtableSpec, {})).toEqual(['https://api.airtable.com/*']);
  expect(airtableSpec.capabilities.batchCreate).toBe(10);
  expect(airtableSpec.rateLimit.requestsPerSecond).toBeLessThanOrEqual(5);
});

it('refuses a table name that would break out of a formula reference', () => {
  const conn = (settings: Record<string, unknown>) => ({ connection: { id: 'c', kind: 'airtable', name: 'a', enabled: true, createdAt: 0, settings }, secrets: { token: 'pat' } });
  expect(() => readConfig(conn({ baseName: 'B', customerTable: '客户}' }))).toThrow(/customerTable/);
  expect(readConfig(conn({ baseName: 'B' })).tables).toEqual({ customer: '客户', followUp: '跟进记录', deal: '成交', task: '任务' });
});
