// A ticket filed in two systems (售后 → 智邦 and Zendesk): its own status does not depend on which
// system's answer was read last (lib/sync/ticket-place.ts withPlace / leastAdvanced).
import { describe, expect, it } from 'vitest';
import type { Ticket } from '../../../lib/model';
import { leastAdvanced, withPlace } from '../../../lib/sync/ticket-place';

const base: Ticket = {
  id: 't1',
  customerId: 'c1',
  subject: '空调又坏了',
  description: '> 空调又坏了',
  category: '售后',
  priority: '高',
  status: '新建',
  createdAt: 1,
  updatedAt: 1,
  messageIds: [],
  messages: [],
  places: [
    { connectionId: 'zb', remoteId: '3001', remoteCode: 'SH20261206001', status: '新建', readAt: 1 },
    { connectionId: 'zd', remoteId: '9001', remoteCode: '#9001', status: '新建', readAt: 1 },
  ],
  remoteRefs: ['zb 3001', 'zd 9001'],
};

describe('a ticket in several systems', () => {
  it('stays open while one system still has it open, in either read order', () => {
    const zdSolved = { connectionId: 'zd', status: '已解决' as const, vendorStatus: 'solved', readAt: 2 };
    const zbOpen = { connectionId: 'zb', status: '新建' as const, vendorStatus: '未处理', readAt: 2 };
    expect(withPlace(withPlace(base, zbOpen, 2), zdSolved, 3).status).toBe('新建');
    expect(withPlace(withPlace(base, zdSolved, 2), zbOpen, 3).status).toBe('新建');
  });

  it('is solved when every system has solved it, and 处理中 when the least advanced is in progress', () => {
    const one = withPlace(base, { connectionId: 'zd', status: '已解决', readAt: 2 }, 2);
    expect(withPlace(one, { connectionId: 'zb', status: '处理中', readAt: 3 }, 3).status).toBe('处理中');
    expect(withPlace(one, { connectionId: 'zb', status: '已关闭', readAt: 3 }, 3).status).toBe('已解决');
  });

  it('leaves a place that is gone out, and keeps the status when no place has one', () => {
    const gone = withPlace(base, { connectionId: 'zb', gone: true, readAt: 2 }, 2);
    expect(withPlace(gone, { connectionId: 'zd', status: '已解决', readAt: 3 }, 3).status).toBe('已解决');
    expect(leastAdvanced([{ connectionId: 'x' }, { connectionId: 'y', status: '已解决', gone: true }])).toBeUndefined();
  });

  it('follows the user on a ticket that also lives in the local CRM', () => {
    const local: Ticket = { ...base, status: '处理中', places: [{ connectionId: 'local', remoteId: 'SH1', status: '处理中' }, base.places[1]!] };
    expect(withPlace(local, { connectionId: 'zd', status: '已解决', readAt: 2 }, 2).status).toBe('处理中');
  });
});
