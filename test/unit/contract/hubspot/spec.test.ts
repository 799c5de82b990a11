// The declared half: a valid, complete spec; the adapter builds without settings.
import { describe, expect, it } from 'vitest';
import { crmSpecSchema } from '../../../../lib/crm/spec';
import { hubspotSpec } from '../../../../lib/crm/hubspot/spec';
import { createHubspotAdapter } from '../../../../lib/crm/hubspot/adapter';
import { contactProperties } from '../../../../lib/crm/hubspot/values';
import { contactFilterGroups } from '../../../../lib/crm/hubspot/find';
import { redact, propertyProblems } from '../../../../lib/crm/hubspot/errors';
import { customer } from './helpers';

describe('HubSpot spec', () => {
  it('is a valid spec: a secret token, api.hubapi.com, native notes/deals/tasks, batch 100, upsert idempotency', () => {
    const parsed = crmSpecSchema.parse(hubspotSpec);
    expect(parsed.auth.kind).toBe('token');
    expect(parsed.auth.fields.map((f) => [f.key, f.secret])).toEqual([['token', true]]);
    expect(parsed.hostPermissions).toEqual(['https://api.hubapi.com/*']);
    expect(parsed.capabilities).toEqual({
      createCustomer: true, updateCustomer: true, findCustomers: true, followUps: 'native', deals: 'native', tasks: 'native', batchCreate: 100,
      // PATCH has no precondition in HubSpot: no conditional update.
      read: { getCustomer: true, followUps: true, deals: true, changes: 'modified-filter', conditionalUpdate: false, changesLagMs: 60_000 },
      // Tickets (issue 17): in a pipeline, on the contact, read back, notes as comments.
      tickets: { noun: { zh_CN: '工单', en: 'Ticket' }, read: true, comments: true, needsCustomer: true },
    });
    expect(parsed.idempotency).toBe('upsert');
    expect(parsed.defaultMapping.customer).toMatchObject({ name: 'firstname', phones: 'phone', email: 'email', company: 'company', stage: 'hs_lead_status', code: 'liaison_code' });
    for (const lang of ['zh_CN', 'en'] as const) {
      const help = hubspotSpec.auth.fields[0]!.help[lang];
      for (const s of ['crm.objects.contacts.read', 'crm.objects.contacts.write', 'crm.objects.deals.write', 'crm.objects.companies.read']) expect(help).toContain(s);
    }
    expect(hubspotSpec.auth.fields[0]!.help.zh_CN).toContain('私有应用');
    expect(hubspotSpec.auth.fields[0]!.help.en).toContain('→ Integrations → Private Apps');
    // ≤ 100 requests in any 10 s window: bucket + rate × 10.
    expect(parsed.rateLimit.burst! + parsed.rateLimit.requestsPerSecond! * 10).toBeLessThanOrEqual(100);
  });

  it('builds without settings or secrets (the registry meta-test does) and fails only when used, as auth', async () => {
    const a = createHubspotAdapter({ db: null, connection: { id: 'x', kind: 'hubspot', name: 'x', enabled: true, settings: {}, createdAt: 0 }, secrets: {}, now: Date.now });
    await expect(a.verify()).rejects.toMatchObject({ kind: 'auth' });
    const b = createHubspotAdapter({ db: null, connection: { id: 'y', kind: 'hubspot', name: 'y', enabled: true, settings: { mapping: 'nope' }, createdAt: 0 }, secrets: { token: 't' }, now: Date.now });
    await expect(b.findCustomers({ code: 'x' })).rejects.toMatchObject({ kind: 'validation' });
  });

  it('maps a customer to contact properties: stage → hs_lead_status, 成交 → lifecyclestage customer, second phone → mobilephone', () => {
    const config = { mapping: {}, stageMap: {} };
    expect(contactProperties(customer({ phones: ['+8613800138000', '+8613900139000'], email: 'a@b.cn' }), config, 'create')).toMatchObject({
      firstname: '王小明', phone: '+8613800138000', mobilephone: '+8613900139000', email: 'a@b.cn', company: '深圳小明贸易', hs_lead_status: 'IN_PROGRESS', liaison_code: 'KH2026-0001',
    });
    expect(contactProperties({ stage: '成交' }, config, 'patch')).toEqual({ hs_lead_status: 'OPEN_DEAL', lifecyclestage: 'customer' });
    expect(contactProperties({ stage: '自定义阶段', company: '' }, config, 'patch')).toEqual({ company: '' });
    expect(contactProperties({ stage: '自定义阶段' }, { mapping: {}, stageMap: { 自定义阶段: 'BAD_TIMING' } }, 'patch')).toEqual({ hs_lead_status: 'BAD_TIMING' });
  });

  it('searches phone and mobilephone in E.164 and national forms, OR-ed in ≤ 5 groups', () => {
    const groups = contactFilterGroups({ config: { connectionId: 'c', token: 't', baseUrl: '', mapping: {}, stageMap: {} } }, { phone: '138 0013 8000', email: 'A@B.cn', code: 'KH1', name: '王小明' });
    expect(groups).toHaveLength(5);
    expect(groups[0]).toEqual({ filters: [{ propertyName: 'phone', operator: 'IN', values: ['+8613800138000', '13800138000', '8613800138000'] }] });
    expect(groups[1]!.filters[0]!.propertyName).toBe('mobilephone');
    expect(groups[2]).toEqual({ filters: [{ propertyName: 'email', operator: 'EQ', value: 'a@b.cn' }] });
    expect(groups[3]).toEqual({ filters: [{ propertyName: 'liaison_code', operator: 'EQ', value: 'KH1' }] });
  });

  it('keeps customer data out of error messages', () => {
    expect(redact('Email address wang@example.com is invalid; phone +86 138 0013 8000')).toBe('Email address <email> is invalid; phone <number>');
    expect(redact('Contact already exists. Existing ID: 123456789')).toBe('Contact already exists. Existing ID: 123456789');
    expect(propertyProblems({ message: 'Property values were not valid: [{"isValid":false,"message":"x@y is bad","error":"INVALID_EMAIL","name":"email"}]' })).toEqual([{ name: 'email', code: 'INVALID_EMAIL' }]);
  });
});
