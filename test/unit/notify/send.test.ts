// Each kind's send through its emulator route: the real webhook URL, signed where the kind
// signs, in text and rich form; the emulator verifies and records, and we read back what it got.
import { afterEach, describe, expect, it } from 'vitest';
import { notify } from '../../../lib/notify/notify';
import { testMessage } from '../../../lib/notify/templates';
import type { RobotEmulator } from '../../emulators/robots/server';
import { TEMPLATE, ctx, deps, robot, setup } from './helpers';

let emu: RobotEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

describe('sending through each robot kind', () => {
  it('Feishu: signed rich (post) and text messages are accepted and recorded with a valid timestamp', async () => {
    const s = await setup();
    emu = s.emu;
    const url = emu.control.addRobot({ vendor: 'feishu', secret: 'fs-secret' });
    const r = robot('feishu', url);
    const d = deps(emu, s.clock, 'feishu');
    await notify(r, { secret: 'fs-secret' }, { template: TEMPLATE, context: ctx }, d);
    await notify({ ...r, format: 'text' }, { secret: 'fs-secret' }, { template: TEMPLATE, context: ctx }, d);
    const token = url.split('/').pop()!;
    const [post, text] = emu.control.messages(token);
    expect(post).toMatchObject({ msg_type: 'post', timestamp: String(Math.floor(s.clock.now() / 1000)), content: { post: { zh_cn: { title: '购买信号：张三' } } } });
    expect(JSON.stringify(post)).toContain('你好，我想了解一下经营贷的利率和办理流程。');
    expect(text).toMatchObject({ msg_type: 'text', content: { text: '购买信号：张三\n金额：500000\n消息：你好，我想了解一下经营贷的利率和办理流程。' } });
    expect(emu.state.requests.map((q) => q.code)).toEqual(['0', '0']);
  });

  it('Lark (open.larksuite.com) is the same kind and is sent to its own host', async () => {
    const s = await setup();
    emu = s.emu;
    const url = emu.control.addRobot({ vendor: 'feishu', host: 'open.larksuite.com' });
    expect(url).toMatch(/^https:\/\/open\.larksuite\.com\//);
    await notify(robot('feishu', url), {}, { template: TEMPLATE, context: ctx }, deps(emu, s.clock, 'feishu'));
    expect(emu.state.messages).toHaveLength(1);
  });

  it('DingTalk: signed markdown and text, timestamp and sign in the query, never @all', async () => {
    const s = await setup();
    emu = s.emu;
    const secret = 'SEC' + 'a1'.repeat(32);
    const url = emu.control.addRobot({ vendor: 'dingtalk', secret });
    const r = robot('dingtalk', url);
    const d = deps(emu, s.clock, 'dingtalk');
    await notify(r, { secret }, { template: TEMPLATE, context: ctx }, d);
    await notify(r, { secret }, { template: TEMPLATE, context: ctx, format: 'text' }, d);
    const [md, text] = emu.state.messages.map((m) => m.body);
    expect(md).toMatchObject({ msgtype: 'markdown', markdown: { title: '购买信号：张三' }, at: { isAtAll: false } });
    expect((md as { markdown: { text: string } }).markdown.text).toMatch(/^#### 购买信号：张三\n\n金额：500000\n\n/);
    expect(text).toMatchObject({ msgtype: 'text', text: { content: expect.stringContaining('消息：你好') }, at: { isAtAll: false } });
  });

  it('WeCom: markdown and text (no signing: a secret for WeCom is refused before sending)', async () => {
    const s = await setup();
    emu = s.emu;
    const url = emu.control.addRobot({ vendor: 'wecom' });
    const r = robot('wecom', url);
    const d = deps(emu, s.clock, 'wecom');
    await notify(r, {}, { template: TEMPLATE, context: ctx }, d);
    await notify(r, {}, { template: TEMPLATE, context: ctx, format: 'text' }, d);
    expect(emu.state.messages.map((m) => m.body)).toEqual([
      { msgtype: 'markdown', markdown: { content: '**购买信号：张三**\n金额：500000\n消息：你好，我想了解一下经营贷的利率和办理流程。' } },
      { msgtype: 'text', text: { content: '购买信号：张三\n金额：500000\n消息：你好，我想了解一下经营贷的利率和办理流程。' } },
    ]);
    await expect(notify(r, { secret: 'x' }, { template: TEMPLATE, context: ctx }, d)).rejects.toMatchObject({ kind: 'auth' });
    expect(emu.state.requests).toHaveLength(2);
  });

  it('Slack: blocks with a text fallback, and plain text', async () => {
    const s = await setup();
    emu = s.emu;
    const url = emu.control.addRobot({ vendor: 'slack' });
    const r = robot('slack', url);
    const d = deps(emu, s.clock, 'slack');
    await notify(r, {}, { template: TEMPLATE, context: ctx }, d);
    await notify(r, {}, { template: TEMPLATE, context: ctx, format: 'text' }, d);
    const [rich, plain] = emu.state.messages.map((m) => m.body);
    expect(rich).toMatchObject({
      text: expect.stringContaining('购买信号：张三'),
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: '购买信号：张三' } },
        { type: 'section', text: { type: 'mrkdwn', text: '金额：500000\n消息：你好，我想了解一下经营贷的利率和办理流程。' } },
      ],
    });
    expect(plain).toEqual({ text: '购买信号：张三\n金额：500000\n消息：你好，我想了解一下经营贷的利率和办理流程。' });
  });

  it('"发送测试消息" renders the send time through the template engine (Asia/Shanghai)', async () => {
    const s = await setup();
    emu = s.emu;
    const url = emu.control.addRobot({ vendor: 'wecom' });
    const m = testMessage('zh_CN', s.clock.now());
    await notify(robot('wecom', url, { format: 'text' }), {}, { template: m.template, context: m.context }, deps(emu, s.clock, 'wecom'));
    expect(emu.state.messages[0]!.body).toEqual({ msgtype: 'text', text: { content: 'Liaison 测试消息\n群机器人已连接，Liaison 会把通知发到这个群。\n发送时间：2026-12-06 10:00:00' } });
  });

  it("a robot with 自定义关键词 gets its keyword when the message lacks it (Feishu and DingTalk)", async () => {
    const s = await setup();
    emu = s.emu;
    const f = emu.control.addRobot({ vendor: 'feishu', keywords: ['客户通知'] });
    const g = emu.control.addRobot({ vendor: 'dingtalk', keywords: ['客户通知'] });
    await notify(robot('feishu', f, { keyword: '客户通知' }), {}, { template: TEMPLATE, context: ctx }, deps(emu, s.clock, 'feishu'));
    await notify(robot('dingtalk', g, { keyword: '客户通知' }), {}, { template: TEMPLATE, context: ctx }, deps(emu, s.clock, 'dingtalk'));
    expect(emu.state.requests.map((q) => q.code)).toEqual(['0', '0']);
    expect(JSON.stringify(emu.state.messages[0]!.body)).toContain('【客户通知】购买信号');
    // Without the keyword in settings, the vendors refuse it: 19024 and 310000.
    await expect(notify(robot('feishu', f), {}, { template: TEMPLATE, context: ctx }, deps(emu, s.clock, 'feishu'))).rejects.toMatchObject({ kind: 'validation', vendorCode: '19024' });
    await expect(notify(robot('dingtalk', g), {}, { template: TEMPLATE, context: ctx }, deps(emu, s.clock, 'dingtalk'))).rejects.toMatchObject({ kind: 'validation', vendorCode: '310000' });
  });
});
