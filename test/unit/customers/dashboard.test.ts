import { describe, expect, it } from 'vitest';
import { createCustomer } from '../../../lib/customers/create';
import { logFollowUp } from '../../../lib/customers/follow-up';
import { rememberChatUrl } from '../../../lib/customers/link';
import { buildDashboard } from '../../../lib/customers/dashboard';
import { useDb, connection } from './helpers';

const t = useDb();
const HOUR = 3600_000;
// 2026-03-05 10:00 in UTC; the dashboard is asked for UTC days.
const now = Date.UTC(2026, 2, 5, 10);

describe('buildDashboard', () => {
  it('lists overdue and due-today follow-ups with code, chat URL and last follow-up; counts; sync per connection', async () => {
    const { db } = t;
    await db.connections.bulkAdd([connection({ id: 'hub', name: 'HubSpot' }), connection({ id: 'local', kind: 'local', name: '本地 CRM' })]);
    const late = await createCustomer(db, { fields: { name: 'Late', nextFollowUpAt: now - 30 * HOUR } }, now - 48 * HOUR);
    const today = await createCustomer(db, { fields: { name: 'Today', nextFollowUpAt: now + 5 * HOUR } }, now);
    await createCustomer(db, { fields: { name: 'Tomorrow', nextFollowUpAt: now + 24 * HOUR } }, now);
    await createCustomer(db, { fields: { name: 'None' } }, now);
    await logFollowUp(db, today.id, { method: '电话', content: '  回电话\n讨论报价 ' + 'x'.repeat(200), nextAt: now + 5 * HOUR }, now - HOUR);
    await rememberChatUrl(db, late.id, 'https://web.whatsapp.com/#late');
    await rememberChatUrl(db, today.id, 'javascript:alert(1)'); // never stored
    await db.links.update([late.id, 'hub'], { syncState: 'failed', lastError: 'HTTP 400' });

    const d = await buildDashboard(db, now, { timeZone: 'UTC' });
    expect(d.overdue).toMatchObject([{ customerId: late.id, code: late.code, name: 'Late', stage: '新客户', overdue: true, chatUrl: 'https://web.whatsapp.com/#late' }]);
    expect(d.dueToday).toMatchObject([{ customerId: today.id, name: 'Today', overdue: false, dueAt: now + 5 * HOUR }]);
    expect(d.dueToday[0]).not.toHaveProperty('chatUrl');
    expect(d.dueToday[0]?.lastFollowUp).toMatch(/^回电话 讨论报价 x+…$/);
    expect(d.dueToday[0]?.lastFollowUp).toHaveLength(80);
    expect(d.counts).toEqual({ overdue: 1, dueToday: 1, customers: 4 });
    expect(d.sync).toEqual([{ connectionId: 'hub', connectionName: 'HubSpot', kind: 'hubspot', pending: 3, synced: 0, failed: 1 }]);
  });
});
