// Meta-test over the robot-kind registry, and the URL and settings checks each kind declares.
import { describe, expect, it } from 'vitest';
import { ROBOT_HOST_PERMISSIONS, ROBOT_KINDS, robotKind } from '../../../lib/notify/registry';
import { ROBOT_KIND_IDS } from '../../../lib/notify/kind';
import { robotSchema, robotsSettingsSchema, secretProblem } from '../../../lib/notify/settings';
import { EMULATED_HOSTS } from '../../emulators/robots/server';

describe('robot kinds registry', () => {
  it('lists every kind id once', () => {
    expect(ROBOT_KINDS.map((k) => k.id).sort()).toEqual([...ROBOT_KIND_IDS].sort());
  });

  for (const k of ROBOT_KINDS)
    it(`${k.id}: names, help in both languages, dated docs, rate rules, an emulated host, a valid example URL`, () => {
      expect(k.names.zh_CN && k.names.en).toBeTruthy();
      expect(k.help.zh_CN.length).toBeGreaterThanOrEqual(3);
      expect(k.help.en.length).toBe(k.help.zh_CN.length);
      expect(k.docs.length).toBeGreaterThan(0);
      for (const d of k.docs) {
        expect(d.url).toMatch(/^https:\/\//);
        expect(d.read).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
      expect(k.rateRules.length).toBeGreaterThan(0);
      for (const r of k.rateRules) expect(r.max).toBeGreaterThan(0);
      expect(k.rateNote.zh_CN && k.rateNote.en).toBeTruthy();
      for (const p of k.hostPermissions) expect(EMULATED_HOSTS).toContain(new URL(p.replace('/*', '/')).hostname);
      expect(k.parseUrl(k.urlExample)).toMatchObject({ ok: true });
      // The host the example posts to is one the kind asks permission for.
      expect(k.hostPermissions).toContain(`https://${new URL(k.urlExample).hostname}/*`);
    });

  it('host permissions for the manifest', () => {
    expect(ROBOT_HOST_PERMISSIONS).toEqual(['https://open.feishu.cn/*', 'https://open.larksuite.com/*', 'https://oapi.dingtalk.com/*', 'https://qyapi.weixin.qq.com/*', 'https://hooks.slack.com/*']);
  });
});

describe('webhook URL checks', () => {
  const table: [string, string, boolean][] = [
    ['feishu', 'https://open.feishu.cn/open-apis/bot/v2/hook/2f1c6a9e-0b1d-4c1a-9a2e-3b6b1c0d9e8f', true],
    ['feishu', 'https://open.larksuite.com/open-apis/bot/v2/hook/2f1c6a9e-0b1d-4c1a-9a2e-3b6b1c0d9e8f', true],
    ['feishu', 'http://open.feishu.cn/open-apis/bot/v2/hook/2f1c6a9e-0b1d-4c1a-9a2e-3b6b1c0d9e8f', false],
    ['feishu', 'https://open.feishu.cn.evil.example/open-apis/bot/v2/hook/2f1c6a9e', false],
    ['feishu', 'https://open.feishu.cn/open-apis/bot/hook/2f1c6a9e-0b1d', false], // v1 hooks are gone
    ['dingtalk', 'https://oapi.dingtalk.com/robot/send?access_token=' + 'a'.repeat(64), true],
    ['dingtalk', 'https://oapi.dingtalk.com/robot/send?access_token=' + 'a'.repeat(64) + '&timestamp=1&sign=x', false],
    ['dingtalk', 'https://oapi.dingtalk.com/robot/send', false],
    ['wecom', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa', true],
    ['wecom', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=', false],
    ['slack', 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX', true],
    ['slack', 'https://hooks.slack.com/triggers/T00000000/123/abc', false],
    ['slack', 'https://user:pw@hooks.slack.com/services/T0/B0/X', false],
    ['slack', 'hooks.slack.com/services/T0/B0/X', false],
  ];
  for (const [kind, url, ok] of table)
    it(`${kind} ${ok ? 'accepts' : 'refuses'} ${url}`, () => {
      const r = robotKind(kind as 'slack').parseUrl(url);
      expect(r.ok).toBe(ok);
      if (!r.ok) expect(r.problem.zh_CN && r.problem.en).toBeTruthy();
    });
});

describe('settings', () => {
  const base = { id: 'sales-group', kind: 'dingtalk', name: '销售群', url: 'https://oapi.dingtalk.com/robot/send?access_token=' + 'a'.repeat(64), enabled: true };
  it('parses a robot, defaulting to the rich format', () => {
    expect(robotSchema.parse(base)).toMatchObject({ format: 'rich' });
  });
  it('refuses a URL of another kind, a keyword where the vendor has none, duplicate ids', () => {
    expect(robotSchema.safeParse({ ...base, kind: 'wecom' }).success).toBe(false);
    expect(robotSchema.safeParse({ ...base, kind: 'slack', url: 'https://hooks.slack.com/services/T0/B0/X', keyword: '通知' }).success).toBe(false);
    expect(robotsSettingsSchema.safeParse({ robots: [base, base] }).success).toBe(false);
  });
  it('secrets: DingTalk wants SEC…, WeCom and Slack take none, Feishu any', () => {
    expect(secretProblem({ kind: 'dingtalk' }, { secret: 'abc' })).toBeDefined();
    expect(secretProblem({ kind: 'dingtalk' }, { secret: 'SEC' + 'f'.repeat(64) })).toBeUndefined();
    expect(secretProblem({ kind: 'wecom' }, { secret: 'abc' })).toBeDefined();
    expect(secretProblem({ kind: 'slack' }, { secret: 'abc' })).toBeDefined();
    expect(secretProblem({ kind: 'feishu' }, { secret: 'anything' })).toBeUndefined();
    expect(secretProblem({ kind: 'wecom' }, {})).toBeUndefined();
  });
});

describe('emulator behind the browser tests\' TLS proxy (no host prefix in the path)', () => {
  it('routes by path: a signed Feishu post sent to <origin>/open-apis/bot/v2/hook/<token> is verified', async () => {
    const { startRobotEmulator } = await import('../../emulators/robots/server');
    const { feishuSign } = await import('../../../lib/notify/sign');
    const emu = await startRobotEmulator();
    try {
      const url = new URL(emu.control.addRobot({ vendor: 'feishu', secret: 's' }));
      const sig = await feishuSign('s', Date.now());
      const post = (sign: string) =>
        fetch(`${emu.origin}${url.pathname}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...sig, sign, msg_type: 'text', content: { text: 'hi' } }) }).then((r) => r.json());
      expect(await post(sig.sign)).toMatchObject({ code: 0 });
      expect(await post('bad')).toMatchObject({ code: 19021 });
    } finally {
      await emu.close();
    }
  });
});
