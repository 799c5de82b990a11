// The background side: robots and their secrets stored apart, the options page's messages, and
// notifyGroup (what a rule or a strategy calls) posting through the emulator.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LiaisonDb } from '../../../lib/db/db';
import { SAMPLE_CONTEXT } from '../../../lib/mapping';
import { notifyGroup, robotHandlers } from '../../../lib/notify/handlers';
import { resetRobotLimiters } from '../../../lib/notify/rate-limit';
import { NOTIFY_ROBOTS_KEY, robotSecretId } from '../../../lib/notify/store';
import { startRobotEmulator, type RobotEmulator } from '../../emulators/robots/server';

let db: LiaisonDb;
let emu: RobotEmulator;
let n = 0;
const SECRET = 'SEC' + '5a'.repeat(32);

beforeEach(async () => {
  resetRobotLimiters();
  db = new LiaisonDb(`notify-test-${++n}`);
  emu = await startRobotEmulator();
});
afterEach(async () => {
  await db.delete();
  await emu.close();
});

describe('robot handlers', () => {
  it('saves a DingTalk robot with its secret apart, lists it without the secret, tests it with a valid signature', async () => {
    const h = robotHandlers(db, { fetch: emu.fetch });
    const url = emu.control.addRobot({ vendor: 'dingtalk', secret: SECRET });
    const { robot } = await h['robot.save']({ robot: { id: 'sales', kind: 'dingtalk', name: '销售群', url, enabled: true }, secret: SECRET });
    expect(robot).toMatchObject({ id: 'sales', format: 'rich', hasSecret: true });
    expect(JSON.stringify((await db.kv.get(NOTIFY_ROBOTS_KEY))?.value)).not.toContain(SECRET);
    expect((await db.secrets.get(robotSecretId('sales')))?.value).toEqual({ secret: SECRET });
    expect(JSON.stringify(await h['robot.list']())).not.toContain(SECRET);

    await h['robot.test']({ id: 'sales', lang: 'en' });
    expect(emu.state.messages[0]!.body).toMatchObject({ msgtype: 'markdown', markdown: { title: 'Liaison test message' } });

    // Saving again without a secret keeps it; '' removes it (then DingTalk refuses the unsigned send).
    await h['robot.save']({ robot: { id: 'sales', kind: 'dingtalk', name: '销售一组', url, enabled: true } });
    expect((await db.secrets.get(robotSecretId('sales')))?.value.secret).toBe(SECRET);
    await h['robot.save']({ robot: { id: 'sales', kind: 'dingtalk', name: '销售一组', url, enabled: true }, secret: '' });
    const err = await h['robot.test']({ id: 'sales', lang: 'zh_CN' }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/^签名校验失败.* \/ Signature rejected/);
  });

  it('refuses bad input with both languages, and a kind change', async () => {
    const h = robotHandlers(db, { fetch: emu.fetch });
    await expect(h['robot.save']({ robot: { id: 'x', kind: 'wecom', name: 'a', url: 'https://example.com/hook', enabled: true } })).rejects.toThrow(/^群机器人设置有误：url：Webhook 地址的域名应为 qyapi\.weixin\.qq\.com \/ Invalid group robot: url: The webhook address must be on qyapi\.weixin\.qq\.com$/);
    const url = emu.control.addRobot({ vendor: 'dingtalk' });
    await expect(h['robot.save']({ robot: { id: 'd', kind: 'dingtalk', name: 'a', url, enabled: true }, secret: 'plain' })).rejects.toThrow(/SEC/);
    await h['robot.save']({ robot: { id: 'd', kind: 'dingtalk', name: 'a', url, enabled: true } });
    const wecom = emu.control.addRobot({ vendor: 'wecom' });
    await expect(h['robot.save']({ robot: { id: 'd', kind: 'wecom', name: 'a', url: wecom, enabled: true } })).rejects.toThrow(/cannot change its kind/);
    expect(emu.state.requests).toHaveLength(0);
  });

  it('paused robots are not posted to; removing one deletes its secret', async () => {
    const h = robotHandlers(db, { fetch: emu.fetch });
    const url = emu.control.addRobot({ vendor: 'feishu', secret: 'fs' });
    await h['robot.save']({ robot: { id: 'f', kind: 'feishu', name: '飞书群', url, enabled: true }, secret: 'fs' });
    await h['robot.setEnabled']({ id: 'f', enabled: false });
    await expect(h['robot.test']({ id: 'f', lang: 'zh_CN' })).rejects.toThrow();
    expect(emu.state.requests).toHaveLength(0);
    await h['robot.remove']({ id: 'f' });
    expect(await db.secrets.get(robotSecretId('f'))).toBeUndefined();
    expect((await h['robot.list']()).robots).toEqual([]);
  });
});

describe('notifyGroup', () => {
  it("posts a buying signal with the event's template to a signed Feishu robot", async () => {
    const h = robotHandlers(db, { fetch: emu.fetch });
    const url = emu.control.addRobot({ vendor: 'feishu', secret: 'fs-secret', keywords: ['Liaison'] });
    await h['robot.save']({ robot: { id: 'team', kind: 'feishu', name: '团队群', url, enabled: true, keyword: 'Liaison' }, secret: 'fs-secret' });
    await notifyGroup(db, 'team', 'buyingSignal', SAMPLE_CONTEXT, { fetch: emu.fetch });
    const body = emu.state.messages[0]!.body as { msg_type: string; content: { post: { zh_cn: { title: string; content: { text: string }[][] } } } };
    expect(body.msg_type).toBe('post');
    expect(body.content.post.zh_cn.title).toBe('【Liaison】购买信号：张三');
    expect(body.content.post.zh_cn.content.map((p) => p[0]!.text)).toEqual([
      '客户：张三（示例贸易有限公司）',
      '意向金额：500000',
      '产品：经营贷',
      '最新消息：你好，我想了解一下经营贷的利率和办理流程。',
      '来自：whatsapp · 03-05 15:30',
    ]);
  });
});
