// What the robots refuse, and how each refusal reaches the outbox: a CrmError kind with the
// vendor's code and message (never the secret), nothing recorded by the emulator.
import { afterEach, describe, expect, it } from 'vitest';
import { CrmError } from '../../../lib/crm/errors';
import { notify } from '../../../lib/notify/notify';
import { dingtalkSign } from '../../../lib/notify/sign';
import type { RobotEmulator } from '../../emulators/robots/server';
import { TEMPLATE, ctx, deps, fakeClock, robot, setup } from './helpers';

let emu: RobotEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});
const msg = { template: TEMPLATE, context: ctx };

describe('refusals', () => {
  it('Feishu: a wrong secret is 19021 → auth, with the vendor message and not the secret', async () => {
    const s = await setup();
    emu = s.emu;
    const url = emu.control.addRobot({ vendor: 'feishu', secret: 'right' });
    const err = await notify(robot('feishu', url), { secret: 'wrong-secret-value' }, msg, deps(emu, s.clock, 'feishu')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrmError);
    expect(err).toMatchObject({ kind: 'auth', vendorCode: '19021', retryable: false });
    expect((err as CrmError).message).toContain('sign match fail');
    expect((err as CrmError).userMessage.zh_CN).toContain('签名校验失败');
    expect(JSON.stringify(err)).not.toContain('wrong-secret-value');
    expect(emu.state.messages).toHaveLength(0);
  });

  it('Feishu: a robot that signs refuses an unsigned message', async () => {
    const s = await setup();
    emu = s.emu;
    const url = emu.control.addRobot({ vendor: 'feishu', secret: 'right' });
    await expect(notify(robot('feishu', url), {}, msg, deps(emu, s.clock, 'feishu'))).rejects.toMatchObject({ kind: 'auth', vendorCode: '19021' });
  });

  it('Feishu and DingTalk refuse a timestamp more than an hour off (our clock 61 minutes slow)', async () => {
    const s = await setup();
    emu = s.emu;
    const f = emu.control.addRobot({ vendor: 'feishu', secret: 'fs' });
    const dsecret = 'SEC' + 'b2'.repeat(32);
    const g = emu.control.addRobot({ vendor: 'dingtalk', secret: dsecret });
    const slow = fakeClock(s.clock.now() - 61 * 60_000);
    const slowDeps = (k: 'feishu' | 'dingtalk') => ({ ...deps(emu!, slow, k) });
    await expect(notify(robot('feishu', f), { secret: 'fs' }, msg, slowDeps('feishu'))).rejects.toMatchObject({ kind: 'auth', vendorCode: '19021' });
    const err = await notify(robot('dingtalk', g), { secret: dsecret }, msg, slowDeps('dingtalk')).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'auth', vendorCode: '310000' });
    expect((err as CrmError).message).toContain('invalid timestamp');
    // 59 minutes off is inside the documented hour.
    const near = fakeClock(s.clock.now() - 59 * 60_000);
    await notify(robot('feishu', f), { secret: 'fs' }, msg, deps(emu, near, 'feishu'));
    await notify(robot('dingtalk', g), { secret: dsecret }, msg, deps(emu, near, 'dingtalk'));
    expect(emu.state.messages).toHaveLength(2);
  });

  it('DingTalk: a wrong secret is 310000 "sign not match" → auth', async () => {
    const s = await setup();
    emu = s.emu;
    const url = emu.control.addRobot({ vendor: 'dingtalk', secret: 'SEC' + 'c3'.repeat(32) });
    await expect(notify(robot('dingtalk', url), { secret: 'SEC' + 'd4'.repeat(32) }, msg, deps(emu, s.clock, 'dingtalk'))).rejects.toMatchObject({
      kind: 'auth',
      vendorCode: '310000',
      message: expect.stringContaining('sign not match'),
    });
  });

  it('DingTalk emulator: a signature sent without URL encoding ("+" arriving as a space) is refused', async () => {
    const s = await setup();
    emu = s.emu;
    const secret = 'SEC' + 'e5'.repeat(32);
    const url = emu.control.addRobot({ vendor: 'dingtalk', secret });
    // Find a timestamp whose signature has a "+", then send it raw.
    let t = s.clock.now();
    let sig = await dingtalkSign(secret, t);
    while (!sig.sign.includes('+')) sig = await dingtalkSign(secret, ++t);
    s.clock.advance(t - s.clock.now());
    const body = JSON.stringify({ msgtype: 'text', text: { content: 'x' } });
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body };
    const raw = await (await emu.fetch(`${url}&timestamp=${sig.timestamp}&sign=${sig.sign}`, init)).json();
    expect(raw).toMatchObject({ errcode: 310000 });
    const encoded = await (await emu.fetch(`${url}&timestamp=${sig.timestamp}&sign=${sig.signEncoded}`, init)).json();
    expect(encoded).toEqual({ errcode: 0, errmsg: 'ok' });
  });

  it('a robot removed from its group: Feishu 19001, DingTalk 300001, WeCom 93000, Slack 404 no_service → auth', async () => {
    const s = await setup();
    emu = s.emu;
    const cases = [
      ['feishu', 'feishu', '19001'],
      ['dingtalk', 'dingtalk', '300001'],
      ['wecom', 'wecom', '93000'],
      ['slack', 'slack', 'no_service'],
    ] as const;
    for (const [vendor, kind, code] of cases) {
      const url = emu.control.addRobot({ vendor });
      emu.control.removeRobot(emu.state.robots.at(-1)!.token);
      const err = await notify(robot(kind, url), {}, msg, deps(emu, s.clock, kind)).catch((e: unknown) => e);
      expect(err, kind).toMatchObject({ kind: 'auth', vendorCode: code });
      expect((err as CrmError).userMessage.en).toContain('copy its webhook address again');
    }
  });

  it('Slack answers in plain text: invalid_payload (400) → validation; channel_is_archived (410) → not-found', () => {
    return import('../../../lib/notify/slack').then(({ slackRobot }) => {
      const h = new Headers();
      expect(slackRobot.classify(200, h, 'ok', 0)).toBeUndefined();
      expect(slackRobot.classify(400, h, 'invalid_payload', 0)).toMatchObject({ kind: 'validation', vendorCode: 'invalid_payload', status: 400 });
      expect(slackRobot.classify(410, h, 'channel_is_archived', 0)).toMatchObject({ kind: 'not-found' });
      expect(slackRobot.classify(403, h, 'action_prohibited', 0)).toMatchObject({ kind: 'auth' });
      expect(slackRobot.classify(429, new Headers({ 'retry-after': '7' }), 'rate_limited', 0)).toMatchObject({ kind: 'rate-limited', retryAfterMs: 7000 });
      expect(slackRobot.classify(500, h, 'rollup_error', 0)).toMatchObject({ kind: 'unknown-outcome' });
      // A 200 that is not "ok" is not a delivery we can trust.
      expect(slackRobot.classify(200, h, '<html>captive portal</html>', 0)).toMatchObject({ kind: 'unknown-outcome' });
    });
  });

  it('vendor rate-limit codes become rate-limited with the documented wait', async () => {
    const { feishuRobot } = await import('../../../lib/notify/feishu');
    const { dingtalkRobot } = await import('../../../lib/notify/dingtalk');
    const { wecomRobot } = await import('../../../lib/notify/wecom');
    const h = new Headers();
    expect(feishuRobot.classify(200, h, JSON.stringify({ code: 11232, msg: 'frequency limited', data: {} }), 0)).toMatchObject({ kind: 'rate-limited', vendorCode: '11232' });
    expect(feishuRobot.classify(429, new Headers({ 'x-ogw-ratelimit-reset': '12' }), JSON.stringify({ code: 99991400, msg: 'request trigger frequency limit' }), 0)).toMatchObject({ kind: 'rate-limited', retryAfterMs: 12_000 });
    expect(dingtalkRobot.classify(200, h, JSON.stringify({ errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' }), 0)).toMatchObject({ kind: 'rate-limited', retryAfterMs: 600_000 });
    expect(wecomRobot.classify(200, h, JSON.stringify({ errcode: 45009, errmsg: 'api freq out of limit' }), 0)).toMatchObject({ kind: 'rate-limited', retryAfterMs: 60_000 });
    // Older Feishu deployments answer StatusCode.
    expect(feishuRobot.classify(200, h, JSON.stringify({ Extra: null, StatusCode: 0, StatusMessage: 'success' }), 0)).toBeUndefined();
  });

  it('bad settings, a disabled robot and a broken template are refused before anything is sent', async () => {
    const s = await setup();
    emu = s.emu;
    const url = emu.control.addRobot({ vendor: 'wecom' });
    const d = deps(emu, s.clock, 'wecom');
    await expect(notify(robot('wecom', 'https://evil.example/cgi-bin/webhook/send?key=abcdefgh'), {}, msg, d)).rejects.toMatchObject({ kind: 'validation' });
    await expect(notify(robot('wecom', url, { enabled: false }), {}, msg, d)).rejects.toMatchObject({ kind: 'unsupported' });
    const err = await notify(robot('wecom', url), {}, { template: { body: '{{customer.nmae}}' }, context: ctx }, d).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'validation' });
    expect((err as CrmError).userMessage.zh_CN).toContain('did you mean customer.name');
    await expect(notify(robot('dingtalk', url), { secret: 'not-sec' }, msg, d)).rejects.toMatchObject({ kind: 'validation' }); // WeCom URL on a DingTalk robot
    expect(emu.state.requests).toHaveLength(0);
  });

  it('a network failure is unknown-outcome (the vendor may have posted it)', async () => {
    const s = await setup();
    emu = s.emu;
    const url = emu.control.addRobot({ vendor: 'wecom' });
    const failing: typeof fetch = () => Promise.reject(new TypeError('fetch failed'));
    await expect(notify(robot('wecom', url), {}, msg, { ...deps(emu, s.clock, 'wecom'), fetch: failing })).rejects.toMatchObject({ kind: 'unknown-outcome' });
  });
});
