// The spec shape must fit the awkward CRMs of crm-apis.md, not only the local one. These
// drafts are not shipped adapters; they pin the shape against the hardest cases.
import { describe, expect, it } from 'vitest';
import { crmSpecSchema, hostPatternFromUrl, hostPatternsFor, type CrmSpec } from '../../../lib/crm/spec';

const L = (zh_CN: string, en: string) => ({ zh_CN, en });
const field = (key: string, secret: boolean, type: 'text' | 'password' | 'url' = secret ? 'password' : 'text') => ({
  key, secret, type, label: L(key, key), help: L(`在后台获取 ${key}`, `Find ${key} in the admin console`),
});
const none = { customer: { name: 'name' } };
const NO_READ = { getCustomer: false, followUps: false, deals: false, changes: 'none', conditionalUpdate: false } as const;

const drafts: Record<string, CrmSpec> = {
  // Customers cannot be created; app credentials; fixed IP blocker is an operations concern.
  wecom: {
    id: 'wecom', names: L('企业微信', 'WeCom'), auth: { kind: 'app-credentials', fields: [field('corpid', false), field('corpsecret', true)] },
    hostPermissions: ['https://qyapi.weixin.qq.com/*'],
    capabilities: { read: NO_READ, createCustomer: false, updateCustomer: true, findCustomers: true, followUps: 'none', deals: 'none', tasks: 'native' },
    idempotency: 'lookup', rateLimit: { requestsPerSecond: 100 }, defaultMapping: { customer: { name: 'remark', phones: 'remark_mobiles' } },
  },
  // Follow-ups in a linked table, batch create ≤500, client_token idempotency, one writer per table.
  'feishu-bitable': {
    id: 'feishu-bitable', names: L('飞书多维表格', 'Feishu Bitable'),
    auth: { kind: 'app-credentials', fields: [field('app_id', false), field('app_secret', true)] },
    configFields: [field('app_token', false), field('customers_table', false), field('followups_table', false)],
    hostPermissions: ['https://open.feishu.cn/*'],
    capabilities: { read: NO_READ, createCustomer: true, updateCustomer: true, findCustomers: true, followUps: 'linked-record', deals: 'linked-record', tasks: 'native', batchCreate: 500 },
    idempotency: 'key', rateLimit: { requestsPerSecond: 20, concurrentWrites: 1 },
    defaultMapping: { customer: { name: '客户姓名', phones: '手机号', code: '客户编号' }, followUp: { content: '跟进内容', method: '跟进方式' } },
  },
  // User + password on the customer's own host (plain http://ip:port).
  zhibang: {
    id: 'zhibang', names: L('智邦ERP', 'Zhibang ERP'),
    auth: { kind: 'password', fields: [field('host', false, 'url'), field('user', false), field('password', true), field('serialnum', false)] },
    hostPermissions: [{ fromField: 'host' }],
    capabilities: { read: NO_READ, createCustomer: true, updateCustomer: true, findCustomers: true, followUps: 'native', deals: 'native', tasks: 'native' },
    idempotency: 'lookup', rateLimit: { concurrentWrites: 1 }, defaultMapping: { customer: { name: 'name', code: 'khid', wechatId: 'weixinAcc', phones: 'mobile' } },
  },
  // OAuth + PKCE on a per-tenant host, upsert by external id, batch 200.
  dynamics: {
    id: 'dynamics', names: L('Dynamics 365', 'Dynamics 365'),
    auth: {
      kind: 'oauth2-pkce', fields: [field('orgUrl', false, 'url'), field('clientId', false), field('tenant', false)],
      oauth: { authorizeUrl: 'https://login.microsoftonline.com/{{tenant}}/oauth2/v2.0/authorize', tokenUrl: 'https://login.microsoftonline.com/{{tenant}}/oauth2/v2.0/token', scopes: ['{{orgUrl}}/user_impersonation', 'offline_access'], clientSecret: 'none' },
    },
    hostPermissions: ['https://login.microsoftonline.com/*', { fromField: 'orgUrl' }],
    capabilities: { read: NO_READ, createCustomer: true, updateCustomer: true, findCustomers: true, followUps: 'native', deals: 'native', tasks: 'native', batchCreate: 1000 },
    idempotency: 'upsert', rateLimit: {}, defaultMapping: none,
  },
  // GraphQL task tool: a customer is an issue; comments are follow-ups.
  linear: {
    id: 'linear', names: L('Linear', 'Linear'), auth: { kind: 'token', fields: [field('apiKey', true)] },
    configFields: [field('teamId', false)], hostPermissions: ['https://api.linear.app/*'],
    capabilities: { read: NO_READ, createCustomer: true, updateCustomer: true, findCustomers: true, followUps: 'native', deals: 'none', tasks: 'native' },
    idempotency: 'lookup', rateLimit: { requestsPerSecond: 1 }, defaultMapping: { customer: { name: 'title', notes: 'description' } },
  },
};

describe('CrmSpec shape', () => {
  it.each(Object.entries(drafts))('fits %s', (_id, spec) => {
    expect(crmSpecSchema.safeParse(spec).error).toBeUndefined();
  });

  it('rejects oauth settings on a non-OAuth kind and a missing one on oauth2-pkce', () => {
    const wecom = drafts.wecom!;
    const dyn = drafts.dynamics!;
    expect(crmSpecSchema.safeParse({ ...wecom, auth: { ...wecom.auth, oauth: dyn.auth.oauth } }).success).toBe(false);
    expect(crmSpecSchema.safeParse({ ...dyn, auth: { kind: 'oauth2-pkce', fields: [] } }).success).toBe(false);
  });
});

describe('host permissions', () => {
  it('derives patterns from fixed entries and host fields, dropping ports', () => {
    expect(hostPatternsFor(drafts.zhibang!, { host: 'http://192.168.1.20:8080/sysa/' })).toEqual(['http://192.168.1.20/*']);
    expect(hostPatternsFor(drafts.dynamics!, { orgUrl: 'https://contoso.crm4.dynamics.com' })).toEqual([
      'https://login.microsoftonline.com/*',
      'https://contoso.crm4.dynamics.com/*',
    ]);
    expect(hostPatternsFor(drafts.zhibang!, {})).toEqual([]);
  });

  it.each([['javascript:alert(1)'], ['ftp://x.com'], ['not a url']])('refuses %s', (u) => {
    expect(hostPatternFromUrl(u)).toBeNull();
  });
});
