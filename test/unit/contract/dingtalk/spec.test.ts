// The DingTalk spec as declared data: it parses, asks for the two DingTalk hosts only, declares
// the read side the adapter implements, has help text for every credential, and its adapter
// builds with empty settings (the registry meta-test's way) and refuses to run without them.
import { describe, expect, it } from 'vitest';
import { createDingtalkAdapter } from '../../../../lib/crm/dingtalk/adapter';
import { dingtalkSpec } from '../../../../lib/crm/dingtalk/spec';
import { crmSpecSchema, hostPatternsFor } from '../../../../lib/crm/spec';
import { failure } from './helpers';

describe('DingTalk spec', () => {
  it('parses, with api.dingtalk.com and oapi.dingtalk.com as its only hosts', () => {
    const spec = crmSpecSchema.parse(dingtalkSpec);
    expect(hostPatternsFor(spec, {})).toEqual(['https://api.dingtalk.com/*', 'https://oapi.dingtalk.com/*']);
    expect(spec.auth.kind).toBe('app-credentials');
    expect(spec.auth.fields.map((f) => [f.key, f.secret])).toEqual([['appKey', false], ['app_secret', true], ['userId', false]]);
    for (const f of [...spec.auth.fields, ...spec.configFields]) expect(f.help.zh_CN.length, f.key).toBeGreaterThan(20);
    expect(spec.auth.fields[0]!.help.zh_CN).toMatch(/open-dev\.dingtalk\.com.*企业内部应用.*qyapi_crm_maindata_read.*qyapi_crm_maindata_write/s);
  });

  it('declares what the adapter implements: read side without deals, no conditional update, lookup idempotency', () => {
    const adapter = createDingtalkAdapter({ db: null, connection: { id: 'x', kind: 'dingtalk', name: 'x', enabled: true, createdAt: 0, settings: {} }, secrets: {}, now: Date.now });
    expect(dingtalkSpec.capabilities.read).toEqual({ getCustomer: true, followUps: true, deals: false, changes: 'modified-filter', conditionalUpdate: false });
    expect([typeof adapter.getCustomer, typeof adapter.listFollowUps, typeof adapter.changesSince, 'listDeals' in adapter]).toEqual(['function', 'function', 'function', false]);
    expect([dingtalkSpec.capabilities.deals, dingtalkSpec.capabilities.tasks, dingtalkSpec.idempotency]).toEqual(['none', 'native', 'lookup']);
  });

  it('without settings: a clear validation error naming the field; without the secret: auth', async () => {
    const make = (settings: Record<string, unknown>, secrets: Record<string, string> = {}) => createDingtalkAdapter({ db: null, connection: { id: crypto.randomUUID(), kind: 'dingtalk', name: 'x', enabled: true, createdAt: 0, settings }, secrets, now: Date.now });
    const e1 = await failure(make({}).verify());
    expect([e1?.kind, e1?.userMessage.zh_CN]).toEqual(['validation', expect.stringContaining('appKey')]);
    const e2 = await failure(make({ appKey: 'k' }).verify());
    expect(e2?.userMessage.zh_CN).toContain('userId');
    const e3 = await failure(make({ appKey: 'k', userId: 'u1' }).verify());
    expect(e3?.kind).toBe('auth');
    const e4 = await failure(make({ appKey: 'k', userId: 'u1', relationType: 'crm_lead' }, { app_secret: 's' }).verify());
    expect([e4?.kind, e4?.message]).toEqual(['validation', expect.stringContaining('relationType')]);
    const e5 = await failure(make({ appKey: 'k', userId: 'u1' }, { app_secret: 's' }).createDeal('x', { id: 'd', customerId: 'c', product: 'p', status: '进行中', createdAt: 0 }, { idempotencyKey: 'k' }));
    expect(e5?.kind).toBe('unsupported');
  });
});
