// The Zendesk spec as the options page and the registry read it: a valid spec, the host
// permission built from the subdomain only (a pasted host or URL asks for nothing), help text
// with the Admin Center steps, the methods present exactly where the capabilities declare them
// (as the registry meta-test checks once the spec is registered), and the Basic credentials.
import { describe, expect, it } from 'vitest';
import { createZendeskAdapter } from '../../../../lib/crm/zendesk/adapter';
import { basicAuth, readConfig } from '../../../../lib/crm/zendesk/config';
import { zendeskSpec } from '../../../../lib/crm/zendesk/spec';
import { crmSpecSchema, hostPatternsFor } from '../../../../lib/crm/spec';

const connection = (settings: Record<string, unknown>) => ({ id: 'z', kind: 'zendesk', name: 'Zendesk', enabled: true, createdAt: 0, settings });

describe('Zendesk spec', () => {
  it('parses as a CRM spec; token auth with subdomain, agent email and the secret API token, each with help', () => {
    const s = crmSpecSchema.parse(zendeskSpec);
    expect(s.auth.kind).toBe('token');
    expect(s.auth.fields.map((f) => [f.key, f.secret])).toEqual([['subdomain', false], ['email', false], ['apiToken', true]]);
    expect(s.auth.fields[2]!.help.zh_CN).toContain('应用程序和集成');
    expect(s.auth.fields[2]!.help.en).toContain('Admin Center');
    expect(s.auth.fields[2]!.help.en).toContain('Apps and integrations → APIs → Zendesk API');
  });

  it('asks for https://{subdomain}.zendesk.com only; a pasted host or URL yields no pattern', () => {
    expect(hostPatternsFor(zendeskSpec, { subdomain: 'Acme' })).toEqual(['https://acme.zendesk.com/*']);
    expect(hostPatternsFor(zendeskSpec, { subdomain: 'https://acme.zendesk.com' })).toEqual([]);
    expect(hostPatternsFor(zendeskSpec, { subdomain: '' })).toEqual([]);
    // A dotted value would be accepted by the pattern builder, so the settings refuse it.
    expect(() => readConfig({ connection: connection({ subdomain: 'acme.zendesk.com', email: 'a@example.com' }), secrets: { apiToken: 't' } })).toThrow(/only the part before \.zendesk\.com/);
  });

  it('methods exist exactly where the capabilities say; building with empty settings never throws', () => {
    const a = createZendeskAdapter({ db: null, connection: connection({}), secrets: {}, now: Date.now });
    const caps = zendeskSpec.capabilities;
    expect({ getCustomer: typeof a.getCustomer, listFollowUps: typeof a.listFollowUps, listDeals: typeof a.listDeals, changesSince: typeof a.changesSince, followUpsSince: typeof a.followUpsSince }).toEqual({
      getCustomer: caps.read.getCustomer ? 'function' : 'undefined', listFollowUps: 'undefined', listDeals: 'undefined', changesSince: 'undefined', followUpsSince: 'undefined',
    });
    expect([typeof a.createTicket, typeof a.getTicket, typeof a.addTicketComment]).toEqual(['function', 'function', 'function']);
    expect(caps.tickets).toEqual({ noun: { zh_CN: '工单', en: 'Ticket' }, read: true, comments: true, needsCustomer: false });
    expect([caps.followUps, caps.deals, caps.tasks]).toEqual(['none', 'none', 'none']);
  });

  it('Basic credentials are `{email}/token:{api_token}` in base64', () => {
    const c = readConfig({ connection: connection({ subdomain: 'acme', email: 'li.na@example.com' }), secrets: { apiToken: ' abc123 ' } });
    expect(basicAuth(c)).toBe(`Basic ${Buffer.from('li.na@example.com/token:abc123').toString('base64')}`);
    expect(c).toMatchObject({ baseUrl: 'https://acme.zendesk.com', webUrl: 'https://acme.zendesk.com', ticketTypes: { 售后: 'incident', 技术支持: 'problem', 客户服务: 'question', 产品反馈: 'question' } });
  });
});
