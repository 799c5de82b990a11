// 通知销售人员 through DingTalk 工作通知 (asyncsend_v2): the app's AgentId, the userIds joined
// by commas, a text message; refusals before sending (no AgentId, no or too many recipients,
// empty text); DingTalk's errcode replies classified; a lost reply retried is delivered once
// (DingTalk's own rule: the same content to the same user once a day).
import { describe, expect, it } from 'vitest';
import { createWorkNoticeSender } from '../../../../lib/crm/dingtalk/work-notice';
import { failure, harness } from './helpers';

describe('DingTalk work notice', { timeout: 30_000 }, () => {
  it('sends a text notice to the salespeople and returns DingTalk’s task id', async () => {
    const h = await harness();
    const sender = createWorkNoticeSender(h.deps(), h.overrides);
    const r = await sender.send({ userIds: ['manager4220', 'wangqiang01'], text: '新客户王小明（13800138000）想了解抵押贷，请今天回电' });
    expect(r.taskId).toBeGreaterThan(0);
    expect(h.emu.control.notices().map((n) => [n.userid, n.content, n.task_id, n.delivered])).toEqual([
      ['manager4220', '新客户王小明（13800138000）想了解抵押贷，请今天回电', r.taskId, true],
      ['wangqiang01', '新客户王小明（13800138000）想了解抵押贷，请今天回电', r.taskId, true],
    ]);
  });

  it('markdown: msgtype markdown with a title (given, or the first line without its marks)', async () => {
    const h = await harness();
    const s = createWorkNoticeSender(h.deps(), h.overrides);
    await s.send({ userIds: ['manager4220'], text: '## 新客户\n王小明想了解**抵押贷**', format: 'markdown' });
    await s.send({ userIds: ['manager4220'], text: '请今天回电', format: 'markdown', title: '分配提醒' });
    expect(h.emu.control.notices().map((n) => n.content)).toEqual(['新客户\n## 新客户\n王小明想了解**抵押贷**', '分配提醒\n请今天回电']);
  });

  it('refuses before sending: no AgentId, no recipients, more than 100, not a userId, empty text', async () => {
    const h = await harness({ settings: { agentId: '' } });
    const none = createWorkNoticeSender(h.deps(), h.overrides);
    expect((await failure(none.send({ userIds: ['manager4220'], text: 'x' })))?.userMessage.zh_CN).toContain('AgentId');
    const h2 = await harness();
    const s = createWorkNoticeSender(h2.deps(), h2.overrides);
    expect((await failure(s.send({ userIds: [], text: 'x' })))?.kind).toBe('validation');
    expect((await failure(s.send({ userIds: Array.from({ length: 101 }, (_, i) => `u${i}`), text: 'x' })))?.kind).toBe('validation');
    expect((await failure(s.send({ userIds: ['a b'], text: 'x' })))?.kind).toBe('validation');
    expect((await failure(s.send({ userIds: ['manager4220'], text: '  ' })))?.kind).toBe('validation');
    expect(h2.emu.requests.filter((r) => r.api === 'oapi.worknotice')).toEqual([]);
  });

  it('DingTalk’s refusals (a wrong AgentId, an unknown user) are validation errors with its errcode', async () => {
    const h = await harness({ settings: { agentId: '42' } });
    const e = await failure(createWorkNoticeSender(h.deps(), h.overrides).send({ userIds: ['manager4220'], text: 'x' }));
    expect([e?.kind, e?.vendorCode]).toEqual(['validation', '33012']);
    const h2 = await harness();
    const e2 = await failure(createWorkNoticeSender(h2.deps(), h2.overrides).send({ userIds: ['nobody'], text: 'x' }));
    expect([e2?.kind, e2?.vendorCode]).toEqual(['validation', '33012']);
  });

  it('a lost reply is unknown-outcome; sending again is accepted and not delivered twice', async () => {
    const h = await harness();
    const s = createWorkNoticeSender(h.deps(), h.overrides);
    await s.send({ userIds: ['manager4220'], text: 'warm-up' }); // token
    h.emu.control.dropNext({ api: 'oapi.worknotice', commit: true });
    expect((await failure(s.send({ userIds: ['manager4220'], text: '请回电王小明' })))?.kind).toBe('unknown-outcome');
    await s.send({ userIds: ['manager4220'], text: '请回电王小明' });
    expect(h.emu.control.notices().filter((n) => n.content === '请回电王小明').map((n) => n.delivered)).toEqual([true, false]);
  });

  it('adapter.notifyPerson (通知销售人员 from lib/assign): one markdown work notice to that userId, titled', async () => {
    const h = await harness();
    await h.adapter.notifyPerson!('wangqiang01', { title: '新客户分配给 王强', text: '客户：王小明（KH2026-0001）\n电话：+8613800138000' }, { idempotencyKey: 'k' });
    expect(h.emu.control.notices().map((n) => [n.userid, n.content, n.delivered])).toEqual([
      ['wangqiang01', '新客户分配给 王强\n### 新客户分配给 王强\n\n客户：王小明（KH2026-0001）  \n电话：+8613800138000', true],
    ]);
    const e = await failure(h.adapter.notifyPerson!('nobody', { title: 't', text: 'x' }, { idempotencyKey: 'k2' }));
    expect([e?.kind, e?.vendorCode]).toEqual(['validation', '33012']);
  });
});
