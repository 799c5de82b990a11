import { expect, it } from 'vitest';
import { crmSpecSchema, hostPatternsFor } from '../../../../lib/crm/spec';
import { nocodbSpec } from '../../../../lib/crm/nocodb/spec';

it('is a valid spec: token auth, self-hosted host permission, lookup idempotency, ≤100 per batch', () => {
  expect(crmSpecSchema.safeParse(nocodbSpec).success).toBe(true);
  expect(hostPatternsFor(nocodbSpec, { host: 'http://192.168.1.20:8080' })).toEqual(['http://192.168.1.20/*']);
  expect(nocodbSpec.idempotency).toBe('lookup');
  // The recommended 客户编号 is NocoDB's formula on the row id: NocoDB allocates the team's codes.
  expect(nocodbSpec.codeMaster).toBe(true);
  expect(nocodbSpec.capabilities).toMatchObject({ batchCreate: 100, followUps: 'linked-record', deals: 'linked-record', tasks: 'none' });
  expect(nocodbSpec.auth.fields.find((f) => f.key === 'api_token')?.secret).toBe(true);
});
