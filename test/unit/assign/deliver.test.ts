// 分配 carried out by the outbox worker against the real adapters and their emulators:
// 客户指派 on 智邦 (order.asp, once the customer exists there), 通知销售人员 as a DingTalk 工作通知
// and a WeCom 应用消息 (sent without waiting for any customer record), a lost reply retried
// without a second notice, and a colleague WeCom cannot reach recorded as failed with WeCom's
// reason instead of "sent".
import { afterEach, describe, expect, it } from 'vitest';
import { assignCustomer } from '../../../lib/assign/assign';
import { assignmentView } from '../../../lib/assign/handlers';
import { saveTeam } from '../../../lib/assign/store';
import { DEFAULT_TEAM } from '../../../lib/assign/team';
import { createCustomer } from '../../../lib/customers/create';
import type { CrmAdapter } from '../../../lib/crm/port';
import { LiaisonDb } from '../../../lib/db/db';
import type { Connection } from '../../../lib/model';
import { createSyncWorker } from '../../../lib/sync';
import { harness as dingtalk } from '../contract/dingtalk/helpers';
import { harness as wecom } from '../contract/wecom/helpers';
import { DEFAULT, setup as zhibang } from '../contract/zhibang/helpers';

let db: LiaisonDb | undefined;
afterEach(async () => db?.delete());

const T = Date.UTC(2026, 11, 6, 2);

async function rig() {
  db = new LiaisonDb('t-' + crypto.randomUUID());
  const dd = await dingtalk();
  const wx = await wecom();
  const zb = await zhibang();
  const adapters = new Map<string, CrmAdapter>([
    ['erp', zb.adapter],
    ['dd', dd.adapter],
    ['wx', wx.adapter],
  ]);
  const row = (id: string, kind: string, name: string): Connection => ({ id, kind, name, enabled: true, settings: {}, createdAt: 0 });
  await db.connections.bulkPut([row('erp', 'zhibang', '智邦ERP'), row('dd', 'dingtalk', '钉钉'), row('wx', 'wecom', '企业微信')]);
  await saveTeam(db, {
    ...DEFAULT_TEAM,
    mode: 'manual',
    members: [
      { id: 'wang', name: '王强', active: true, accounts: { erp: String(DEFAULT.id), dd: 'wangqiang01', wx: 'lisi' } },
      { id: 'zhao', name: '赵敏', active: true, accounts: { wx: 'wangwu' } },
    ],
  });
  let now = T;
  const worker = createSyncWorker({ db, adapterFor: (c) => adapters.get(c.id), now: () => now, random: () => 0.5, schedule: async () => undefined });
  const drive = async () => {
    for (let i = 0; i < 50; i++) {
      const r = await worker.runOnce();
      if (r.nextWakeAt === undefined) return;
      now = Math.max(now, r.nextWakeAt);
    }
  };
  return { db, dd, wx, zb, drive };
}

describe('assignment through the outbox', { timeout: 60_000 }, () => {
  it('客户指派 on 智邦 after the customer is there; the DingTalk and WeCom notices name the customer', async () => {
    const { db, dd, wx, zb, drive } = await rig();
    const c = await createCustomer(db, { fields: { name: '王小明', phones: ['13800138000'], product: '抵押贷', amount: 1200000 } }, T);
    await assignCustomer(db, { customerId: c.id, memberId: 'wang' }, T);
    await drive();
    const ord = (await db.links.get([c.id, 'erp']))?.remoteId;
    expect(ord).toMatch(/^\d+$/);
    expect(zb.emu.state.assignments).toMatchObject([{ ord: Number(ord), member1: 0, member2: [DEFAULT.id] }]);
    const [notice] = dd.emu.control.notices();
    expect(notice).toMatchObject({ userid: 'wangqiang01', delivered: true });
    expect(notice!.content).toContain('新客户分配给 王强');
    expect(notice!.content).toContain(`王小明（${c.code}）`);
    expect(notice!.content).toContain('意向金额：¥1,200,000');
    const [msg] = wx.emu.control.messages();
    expect(msg).toMatchObject({ msgtype: 'text', delivered: ['lisi'] });
    expect(msg!.content).toMatch(/^新客户分配给 王强\n客户：王小明/);
    const view = await assignmentView(db, c.id);
    expect(view.last).toMatchObject({ memberId: 'wang', name: '王强', reason: 'manual' });
    expect(view.notices.map((n) => `${n.connectionName} ${n.op} ${n.state}`).sort()).toEqual(['企业微信 person.notify done', '智邦ERP customer.assign done', '钉钉 person.notify done']);
  });

  it('a lost reply on the DingTalk notice is retried and delivered once', async () => {
    const { db, dd, drive } = await rig();
    await db.connections.update('wx', { enabled: false });
    await db.connections.update('erp', { enabled: false });
    const c = await createCustomer(db, { fields: { name: '李雷', phones: [] } }, T);
    await dd.adapter.verify(); // the token first, so the drop hits the send
    dd.emu.control.dropNext({ api: 'oapi.worknotice', commit: true });
    await assignCustomer(db, { customerId: c.id, memberId: 'wang' }, T);
    await drive();
    expect(dd.emu.control.notices().map((n) => n.delivered)).toEqual([true, false]);
    expect((await assignmentView(db, c.id)).notices).toMatchObject([{ op: 'person.notify', state: 'done' }]);
  });

  it('a colleague WeCom cannot reach: failed with WeCom’s reason, shown beside the assignment', async () => {
    const { db, drive } = await rig();
    await db.connections.update('dd', { enabled: false });
    await db.connections.update('erp', { enabled: false });
    const c = await createCustomer(db, { fields: { name: '韩梅梅', phones: [] } }, T);
    await assignCustomer(db, { customerId: c.id, memberId: 'zhao' }, T);
    await drive();
    const [n] = (await assignmentView(db, c.id)).notices;
    expect(n).toMatchObject({ connectionName: '企业微信', op: 'person.notify', state: 'failed' });
    expect(n!.lastError).toMatch(/^validation: .*81013/);
  });
});
