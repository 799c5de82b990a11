// The checks test/unit/crm/registry.test.ts makes of every registered CRM, made here of WeCom
// until it is registered (registry.ts / adapters.ts are not this change's files): a complete
// spec in both languages, every operation present, and the read side exactly as declared.
import { expect, it } from 'vitest';
import { crmSpecSchema, hostPatternsFor } from '../../../../lib/crm/spec';
import { createWecomAdapter } from '../../../../lib/crm/wecom/adapter';
import { wecomSpec } from '../../../../lib/crm/wecom/spec';

it('is a valid spec with names, labels and help text in both languages', () => {
  const parsed = crmSpecSchema.safeParse(wecomSpec);
  expect(parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'))).toEqual([]);
  expect(hostPatternsFor(wecomSpec, {})).toEqual(['https://qyapi.weixin.qq.com/*']);
  // The help names the steps a user cannot guess: the API permission list and the trusted IP.
  const agent = wecomSpec.auth.fields.find((f) => f.key === 'agentid')!;
  expect(agent.help.zh_CN).toContain('可调用接口的应用');
  expect(agent.help.zh_CN).toContain('企业可信IP');
});

it('builds with empty settings and implements every operation, the read side exactly as declared', async () => {
  const adapter = createWecomAdapter({ db: null, connection: { id: 'wecom', kind: 'wecom', name: 'wecom', enabled: true, settings: {}, createdAt: 0 }, secrets: {}, now: () => 0 });
  for (const op of ['verify', 'findCustomers', 'createCustomer', 'updateCustomer', 'addFollowUp', 'createDeal', 'createTask'] as const) expect(typeof adapter[op], op).toBe('function');
  const read = wecomSpec.capabilities.read;
  const a = adapter as unknown as Record<string, unknown>;
  expect({ getCustomer: typeof a.getCustomer === 'function', followUps: typeof a.listFollowUps === 'function', deals: typeof a.listDeals === 'function', changes: typeof a.changesSince === 'function' ? 'modified-filter' : 'none', tickets: typeof a.createTicket === 'function' }).toEqual({
    getCustomer: read.getCustomer, followUps: read.followUps, deals: read.deals, changes: read.changes, tickets: false,
  });
  // Incomplete settings are refused at the first operation, naming the field.
  await expect(adapter.verify()).rejects.toMatchObject({ kind: 'validation', message: expect.stringContaining('corpid') });
});
