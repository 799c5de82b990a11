// Which connections a ticket goes to (issue 17), table-driven over decideTicketTargets.
import { describe, expect, it } from 'vitest';
import { decideTicketTargets } from '../../../lib/strategy/decide';
import { strategySchema, type Strategy } from '../../../lib/strategy/schema';
import type { Connection, TicketCategory } from '../../../lib/model';

const conn = (id: string): Connection => ({ id, kind: id, name: id, enabled: true, settings: {}, createdAt: 0 });
const connections = ['zendesk', 'jira', 'hubspot', 'bitable'].map(conn);
// Bitable keeps customers but declares no tickets.
const takesTickets = (c: Connection) => c.id !== 'bitable';

const routing = strategySchema.parse({ mode: 'routing', routes: { 客户服务: ['zendesk', 'bitable'], 技术支持: ['jira'], 产品反馈: ['bitable'] }, default: ['hubspot'] });

const cases: { name: string; strategy: Strategy; category: TicketCategory; want: string[]; conns?: Connection[] }[] = [
  { name: 'parallel, no ticket routes: every connection that takes tickets', strategy: { mode: 'parallel' }, category: '售后', want: ['zendesk', 'jira', 'hubspot'] },
  { name: 'no connection takes tickets: the local CRM', strategy: { mode: 'parallel' }, category: '售后', want: ['local'], conns: [conn('bitable')] },
  { name: 'no connections at all: the local CRM', strategy: { mode: 'parallel' }, category: '技术支持', want: ['local'], conns: [] },
  { name: '售后 follows seed 004’s 客户服务 route (a CRM there that takes no tickets is skipped)', strategy: routing, category: '售后', want: ['zendesk'] },
  { name: '客户服务 → its own route', strategy: routing, category: '客户服务', want: ['zendesk'] },
  { name: '技术支持 → Jira', strategy: routing, category: '技术支持', want: ['jira'] },
  { name: 'a route of CRMs that take no tickets falls back to every ticket system', strategy: routing, category: '产品反馈', want: ['zendesk', 'jira', 'hubspot'] },
  {
    name: 'a ticket route set for 售后 wins over the shared 客户服务 route',
    strategy: { ...routing, ticketRoutes: { 售后: ['hubspot', 'local'] } },
    category: '售后',
    want: ['hubspot', 'local'],
  },
  {
    name: 'ticket routes work in parallel mode too; a disabled or removed connection is skipped',
    strategy: { mode: 'parallel', ticketRoutes: { 技术支持: ['gone', 'jira', 'jira'] } },
    category: '技术支持',
    want: ['jira'],
  },
  {
    name: 'primary-backup: tickets do not follow the primary, they go to ticket systems',
    strategy: { mode: 'primary-backup', primary: 'bitable', backup: 'hubspot', failoverAfterMinutes: 10, syncBack: true },
    category: '售后',
    want: ['zendesk', 'jira', 'hubspot'],
  },
];

describe('decideTicketTargets', () => {
  for (const c of cases) {
    it(c.name, () => {
      expect(decideTicketTargets(c.strategy, { connections: c.conns ?? connections, category: c.category, takesTickets })).toEqual(c.want);
    });
  }

  it('the strategy schema keeps ticket routes in every mode and refuses an unknown category', () => {
    expect(strategySchema.parse({ mode: 'parallel', ticketRoutes: { 售后: ['a'] } })).toEqual({ mode: 'parallel', ticketRoutes: { 售后: ['a'] } });
    expect(strategySchema.safeParse({ mode: 'parallel', ticketRoutes: { 销售线索: ['a'] } }).success).toBe(false);
  });
});
