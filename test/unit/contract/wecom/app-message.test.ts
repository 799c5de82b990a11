// 通知销售人员 through WeCom application messages (lib/crm/wecom/app-message.ts) against the
// emulator, requests validated against WeCom's YAML with the message/send body of path/90236
// (overlay message-send-body): delivery, recipients WeCom cannot reach, the duplicate check that
// makes a retry after a lost reply safe, the per-member limit, and the refusals made before sending.
import { afterAll, describe, expect, it } from 'vitest';
import { summaryLine } from '../../../specs/openapi';
import { createAppMessageSender } from '../../../../lib/crm/wecom/app-message';
import { failure, harness, logs } from './helpers';

afterAll(() => {
  if (logs.length) console.log(summaryLine(logs));
});

async function sender(settings: Record<string, unknown> = {}) {
  const h = await harness({ settings });
  return { ...h, sender: createAppMessageSender(h.deps(), h.overrides) };
}

describe('WeCom application messages', () => {
  it('sends text to the salespeople and names those WeCom could not reach', async () => {
    const { sender: s, emu, log } = await sender();
    const r = await s.send({ userIds: ['zhangsan', 'lisi', 'nobody', 'wangwu'], text: '新客户 王小明 138****8000 咨询抵押贷，请尽快跟进' });
    expect(r.undelivered).toEqual(['nobody', 'wangwu']);
    expect(r.msgid).toMatch(/^msg/);
    const [m] = emu.control.messages();
    expect(m).toMatchObject({ msgtype: 'text', delivered: ['zhangsan', 'lisi'], touser: 'zhangsan|lisi|nobody|wangwu' });
    expect(log.errors()).toEqual([]);
  });

  it('sends markdown', async () => {
    const { sender: s, emu, log } = await sender();
    await s.send({ userIds: ['zhangsan'], text: '**新客户** 王小明\n> 意向：抵押贷', format: 'markdown' });
    expect(emu.control.messages()[0]).toMatchObject({ msgtype: 'markdown', delivered: ['zhangsan'] });
    expect(log.errors()).toEqual([]);
  });

  it('a retry after a lost reply is not delivered twice (enable_duplicate_check)', async () => {
    const { sender: s, emu, log } = await sender();
    await s.send({ userIds: ['zhangsan'], text: 'ping' }); // token first
    emu.control.dropNext({ api: 'message.send', commit: true });
    const msg = { userIds: ['zhangsan'], text: '新客户 李雷，请跟进' };
    expect((await failure(s.send(msg)))?.kind).toBe('unknown-outcome');
    await s.send(msg);
    const sent = emu.control.messages().filter((m) => m.content === msg.text);
    expect(sent.map((m) => m.delivered)).toEqual([['zhangsan'], []]);
    expect(sent[1]!.suppressed).toEqual(['zhangsan']);
    expect(log.errors()).toEqual([]);
  });

  it('WeCom drops what exceeds 30 messages a minute to one member (the emulator shows it)', async () => {
    const { sender: s, emu } = await sender();
    for (let i = 0; i < 31; i++) await s.send({ userIds: ['lisi'], text: `通知 ${i}` });
    const ms = emu.control.messages();
    expect(ms.filter((m) => m.delivered.length)).toHaveLength(30);
    expect(ms.at(-1)!.suppressed).toEqual(['lisi']);
  });

  it('refuses before sending: no AgentId, no recipient, empty or over-long text; all recipients unknown is 81013', async () => {
    const { sender: s, emu } = await sender();
    expect((await failure(s.send({ userIds: [], text: 'x' })))?.vendorCode).toBe('APP_MESSAGE');
    expect((await failure(s.send({ userIds: ['zhangsan'], text: '  ' })))?.vendorCode).toBe('APP_MESSAGE');
    expect((await failure(s.send({ userIds: ['zhangsan'], text: '长'.repeat(700) })))?.message).toContain('2100 bytes');
    expect((await failure(s.send({ userIds: ['张三'], text: 'x' })))?.vendorCode).toBe('APP_MESSAGE');
    expect(emu.requests).toHaveLength(0);
    const e = await failure(s.send({ userIds: ['nobody'], text: 'x' }));
    expect(e?.vendorCode).toBe('81013');
    const none = await sender({ agentid: '' });
    expect((await failure(none.sender.send({ userIds: ['zhangsan'], text: 'x' })))?.userMessage.zh_CN).toContain('AgentId');
    expect(none.emu.requests).toHaveLength(0);
  });

  it('adapter.notifyPerson (通知销售人员 from lib/assign): text with the title first; a member WeCom cannot reach is a validation error (81013), not "sent"', async () => {
    const h = await harness();
    await h.adapter.notifyPerson!('lisi', { title: '新客户分配给 李四', text: '客户：王小明' }, { idempotencyKey: 'k' });
    expect(h.emu.control.messages()[0]).toMatchObject({ msgtype: 'text', delivered: ['lisi'], content: '新客户分配给 李四\n客户：王小明' });
    const e = await failure(h.adapter.notifyPerson!('wangwu', { title: 't', text: 'x' }, { idempotencyKey: 'k2' }));
    // One recipient only, so WeCom answers 81013 (all recipients invalid) rather than a partial invaliduser list.
    expect([e?.kind, e?.vendorCode]).toEqual(['validation', '81013']);
    expect(h.log.errors()).toEqual([]);
  });
});
