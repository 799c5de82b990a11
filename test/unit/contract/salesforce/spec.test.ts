// The declared half: a valid spec with OAuth + PKCE on the user's own connected app.
import { describe, expect, it } from 'vitest';
import { crmSpecSchema, hostPatternsFor } from '../../../../lib/crm/spec';
import { salesforceSpec } from '../../../../lib/crm/salesforce/spec';
import { salesforceLoginOrigin } from '../../../../lib/crm/salesforce/login';
import { createSalesforceAdapter } from '../../../../lib/crm/salesforce/adapter';
import { customerFields, splitName } from '../../../../lib/crm/salesforce/values';
import { soqlString, soslTerm } from '../../../../lib/crm/salesforce/client';
import { customer } from './helpers';

describe('Salesforce spec', () => {
  it('is valid: oauth2-pkce without secret, api + refresh_token, native follow-ups/tasks/deals, batch 200, upsert', () => {
    const p = crmSpecSchema.parse(salesforceSpec);
    expect(p.auth.kind).toBe('oauth2-pkce');
    expect(p.auth.oauth).toMatchObject({ authorizeUrl: '{{loginHost}}/services/oauth2/authorize', tokenUrl: '{{loginHost}}/services/oauth2/token', scopes: ['api', 'refresh_token'], clientSecret: 'none' });
    expect(p.auth.fields.every((f) => !f.secret)).toBe(true);
    expect(p.capabilities).toMatchObject({ followUps: 'native', tasks: 'native', deals: 'native', batchCreate: 200 });
    expect(p.idempotency).toBe('upsert');
    expect(salesforceSpec.auth.fields[2]!.help.en).toContain('chromiumapp.org');
    expect(salesforceSpec.auth.fields[2]!.help.zh_CN).toContain('PKCE');
  });

  it('host permissions cover login, test, My Domain instances, and a custom login domain', () => {
    expect(hostPatternsFor(salesforceSpec, { loginHost: 'my-domain', myDomain: 'https://login.acme.com' })).toEqual(['https://*.salesforce.com/*', 'https://*.my.salesforce.com/*', 'https://login.acme.com/*']);
  });

  it('resolves the login origin; http only on loopback', () => {
    expect(salesforceLoginOrigin({ loginHost: 'sandbox' })).toBe('https://test.salesforce.com');
    expect(salesforceLoginOrigin({ loginHost: 'my-domain', myDomain: 'https://acme.my.salesforce.com/x' })).toBe('https://acme.my.salesforce.com');
    expect(salesforceLoginOrigin({ loginHost: 'my-domain', myDomain: 'http://acme.my.salesforce.com' })).toBeNull();
    expect(salesforceLoginOrigin({ loginHost: 'my-domain' })).toBeNull();
  });

  it('builds without settings (the registry meta-test does) and fails only when used', async () => {
    const a = createSalesforceAdapter({ db: null, connection: { id: 'x', kind: 'salesforce', name: 'x', enabled: true, settings: {}, createdAt: 0 }, secrets: {}, now: Date.now });
    await expect(a.verify()).rejects.toMatchObject({ kind: 'auth' });
    const b = createSalesforceAdapter({ db: null, connection: { id: 'y', kind: 'salesforce', name: 'y', enabled: true, settings: { consumerKey: 'k' }, createdAt: 0 }, secrets: { access_token: 't', instance_url: 'http://evil.example' }, now: Date.now });
    await expect(b.verify()).rejects.toMatchObject({ kind: 'auth', message: expect.stringContaining('https') });
  });

  it('maps a customer to a Lead: LastName, Company default, phones, Status from the stage', () => {
    expect(customerFields(customer({ company: undefined }), 'Lead', {}, 'create')).toEqual({
      LastName: '王小明', Company: '王小明', MobilePhone: '+8613800138000', Email: 'wang@example.com', LeadSource: '抖音', Status: 'Working - Contacted', Description: '想了解利率',
    });
    expect(customerFields(customer({ name: 'John Smith', stage: '自定义阶段' }), 'Contact', {}, 'create')).not.toHaveProperty('Company');
    expect(splitName('John Ronald Smith')).toEqual({ FirstName: 'John Ronald', LastName: 'Smith' });
  });

  it('escapes SOQL literals and SOSL terms', () => {
    expect(soqlString("o'brien\\x@example.com")).toBe("'o\\'brien\\\\x@example.com'");
    expect(soslTerm('+86 (138) 0013-8000')).toBe('\\+86 \\(138\\) 0013\\-8000');
  });
});
