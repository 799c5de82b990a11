// The Freshdesk spec as the options page and the registry read it: a valid spec, the host
// permission built from the domain only (a pasted host or URL asks for nothing), help text with
// the Profile settings steps, the methods present exactly where the capabilities declare them (as
// the registry meta-test checks once the spec is registered), and the Basic credentials
// `{api_key}:X`. (No request is sent here.)
import { describe, expect, it } from 'vitest';
import { createFreshdeskAdapter } from '../../../../lib/crm/freshdesk/adapter';
import { basicAuth, readConfig } from '../../../../lib/crm/freshdesk/config';
import { freshdeskSpec } from '../../../../lib/crm/freshdesk/spec';
import { crmSpecSchema, hostPatternsFor } from '../../../../lib/crm/spec';

const connection = (settings: Record<string, unknown>) => ({ id: 'f', kind: 'freshdesk', name: 'Freshdesk', enabled: true, createdAt: 0, settings });

describe('Freshdesk spec', () => {
  it('parses as a CRM spec; token auth with the domain and the secret API key, each with help in zh_CN and en', () => {
    const s = crmSpecSchema.parse(freshdeskSpec);
    expect(s.auth.kind).toBe('token');
    expect(s.auth.fields.map((f) => [f.key, f.secret])).toEqual([['domain', false], ['apiKey', true]]);
    expect(s.auth.fields[1]!.help.zh_CN).toContain('个人资料设置');
    expect(s.auth.fields[1]!.help.en).toContain('Profile settings');
    expect(s.auth.fields[1]!.help.en).toContain('View API key');
    expect(s.configFields!.map((f) => [f.key, f.remoteChoices])).toEqual([['groupId', true], ['ticketType', true], ['priorityLow', true], ['priorityMedium', true], ['priorityHigh', true], ['priorityUrgent', true]]);
    expect(s.idempotency).toBe('lookup');
    expect(s.rateLimit).toEqual({ requestsPerSecond: 2, burst: 5 });
  });

  it('asks for https://{domain}.freshdesk.com only; a pasted host or URL yields no pattern', () => {
    expect(hostPatternsFor(freshdeskSpec, { domain: 'Acme' })).toEqual(['https://acme.freshdesk.com/*']);
    expect(hostPatternsFor(freshdeskSpec, { domain: 'https://acme.freshdesk.com' })).toEqual([]);
    expect(hostPatternsFor(freshdeskSpec, { domain: '' })).toEqual([]);
    // A dotted value would pass the pattern builder, so the settings refuse it.
    expect(() => readConfig({ connection: connection({ domain: 'acme.freshdesk.com' }), secrets: { apiKey: 'k' } })).toThrow(/only the part before \.freshdesk\.com/);
  });

  it('methods exist exactly where the capabilities say; building with empty settings never throws', () => {
    const a = createFreshdeskAdapter({ db: null, connection: connection({}), secrets: {}, now: Date.now });
    const caps = freshdeskSpec.capabilities;
    expect({ getCustomer: typeof a.getCustomer, listFollowUps: typeof a.listFollowUps, listDeals: typeof a.listDeals, changesSince: typeof a.changesSince, followUpsSince: typeof a.followUpsSince }).toEqual({
      getCustomer: 'undefined', listFollowUps: 'undefined', listDeals: 'undefined', changesSince: 'undefined', followUpsSince: 'undefined',
    });
    expect(caps.read).toEqual({ getCustomer: false, followUps: false, deals: false, changes: 'none', conditionalUpdate: false });
    expect([typeof a.createTicket, typeof a.getTicket, typeof a.addTicketComment, typeof a.listFields, typeof a.fieldChoices]).toEqual(['function', 'function', 'function', 'function', 'function']);
    expect(caps.tickets).toEqual({ noun: { zh_CN: '工单', en: 'Ticket' }, read: true, comments: true, needsCustomer: false });
    expect([caps.createCustomer, caps.updateCustomer, caps.findCustomers, caps.followUps, caps.deals, caps.tasks]).toEqual([false, false, false, 'none', 'none', 'none']);
  });

  it('Basic credentials are `{api_key}:X` in base64; settings are checked at operation time', async () => {
    const c = readConfig({ connection: connection({ domain: 'Acme', groupId: '43000000501', priorityUrgent: '3' }), secrets: { apiKey: ' abc123 ' } });
    expect(basicAuth(c.apiKey)).toBe(`Basic ${Buffer.from('abc123:X').toString('base64')}`);
    expect(c).toMatchObject({ baseUrl: 'https://acme.freshdesk.com', webUrl: 'https://acme.freshdesk.com', settings: { groupId: '43000000501', priorityUrgent: '3' } });
    expect(() => readConfig({ connection: connection({ domain: 'acme', priorityHigh: 'Urgent' }), secrets: { apiKey: 'k' } })).toThrow(/priorityHigh/);
    const noKey = createFreshdeskAdapter({ db: null, connection: connection({ domain: 'acme' }), secrets: {}, now: Date.now });
    await expect(noKey.verify()).rejects.toMatchObject({ kind: 'auth', userMessage: { zh_CN: '请粘贴 Freshdesk 的 API 密钥' } });
  });
});
