// Issue 17 item 4 in the real browser: a Feishu group robot (签名校验 on) added in the options
// page, "发送测试消息" posted to it, then the rule "购买信号且金额≥100万 → 通知群" turned on and
// a buying signal with 120万 typed into the demo chat arriving in the group, signed. The robot
// emulator (test/emulators/robots, documented in its route files) checks the signature itself and
// is served as https://open.feishu.cn through the loopback TLS proxy, so the extension builds and
// posts to the real webhook URL with its real host permission, and nothing leaves the machine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startRobotEmulator, type RobotEmulator } from '../emulators/robots/server';
import { grantHostsLikeTheUser, openDemoChat, startE2E, type E2E } from './harness';
import { proxyArgs, startTlsProxy, type TlsProxy } from './tls-proxy';
import { sidebar } from './sidebar-locator';

const ZHANG_WEI = 'u_8613800138000';
const SECRET = 'qI7sXc0fLk2nB9dWm4Rt5a';
let e2e: E2E;
let em: RobotEmulator;
let proxy: TlsProxy;
let token: string;
let webhook: string;
let chat: Page;

const posts = () => em.control.messages(token);
const text = (b: Record<string, unknown>) => JSON.stringify(b);
const deliver = (p: Page, t: string) =>
  p.evaluate(([id, msg]) => (window as unknown as { demoChat: { deliver(id: string, text: string): string } }).demoChat.deliver(id!, msg!), [ZHANG_WEI, t]);

beforeAll(async () => {
  em = await startRobotEmulator();
  webhook = em.control.addRobot({ vendor: 'feishu', secret: SECRET });
  token = webhook.split('/').at(-1)!;
  proxy = await startTlsProxy('open.feishu.cn', em.origin);
  e2e = await startE2E({ args: proxyArgs([proxy]) });
  // The kind's hosts (lib/notify/feishu.ts hostPermissions), as the user's "Allow" grants them.
  await grantHostsLikeTheUser(e2e, ['https://open.feishu.cn/*', 'https://open.larksuite.com/*']);
});
afterAll(async () => {
  await e2e?.stop();
  await proxy?.close();
  await em?.close();
});

describe('a Feishu group robot as a notification target', () => {
  it('is added with its signing secret and the test message arrives signed', async () => {
    const options = await e2e.context.newPage();
    await options.goto(e2e.extensionUrl('options.html'));
    await options.locator('[data-testid="robot-add-feishu"]').click();
    const form = options.locator('[data-testid="robot-form"]');
    await form.locator('[data-testid="robot-name"]').fill('销售一组');
    await form.locator('[data-testid="robot-url-input"]').fill(webhook);
    await form.locator('[data-testid="robot-secret"]').fill(SECRET);
    await form.locator('[data-testid="robot-save"]').click();
    const row = options.locator('[data-testid="robot"]', { hasText: '销售一组' });
    await row.waitFor({ timeout: 20_000 });
    // Neither the secret nor the whole webhook address comes back to the page.
    const html = await options.content();
    expect(html).not.toContain(SECRET);
    expect(html).not.toContain(token);

    await row.locator('[data-testid="robot-test"]').click();
    await row.locator('[data-testid="robot-test-ok"]').waitFor({ timeout: 20_000 });
    expect(posts()).toHaveLength(1);
    const [first] = posts();
    expect(text(first!)).toContain('Liaison 测试消息');
    // Signed (the emulator recomputed HmacSHA256 with the secret and refuses a mismatch with 19021).
    expect(first).toMatchObject({ timestamp: expect.any(String), sign: expect.any(String) });
    expect(em.state.requests.filter((r) => r.token === token).map((r) => r.code)).toEqual(['0']);
    await expect.poll(() => row.locator('[data-testid="robot-last"]').innerText(), { timeout: 10_000 }).toMatch(/上次发送/);

    // The rule from its template: buying signal and amount ≥ 100万 → notify this robot.
    await options.locator('[data-testid="rule-add"]', { hasText: '大额购买信号通知群' }).click();
    const rule = options.locator('[data-testid="rule"]').last();
    expect(await rule.locator('[data-testid="rule-amount"]').inputValue()).toBe('1000000');
    expect(await rule.locator('[data-testid="rule-robot"] option:checked').innerText()).toBe('销售一组');
    await rule.locator('[data-testid="rule-enabled"]').check();
    await options.locator('[data-testid="understanding-save"]').click();
    await expect.poll(() => options.locator('[data-testid="understanding-save"]').isDisabled(), { timeout: 10_000 }).toBe(false);
    // Saved: a fresh page shows it on.
    await options.reload();
    const saved = options.locator('[data-testid="rule"]', { has: options.locator('[data-testid="rule-robot"]') });
    await saved.waitFor({ timeout: 15_000 });
    expect(await saved.locator('[data-testid="rule-enabled"]').isChecked()).toBe(true);
    await options.close();
  });

  it('posts a buying signal of 120万 to the group, signed and naming the customer; 5万 posts nothing', async () => {
    chat = await openDemoChat(e2e, ZHANG_WEI);
    await sidebar(chat).locator('[data-testid="create-submit"]').click();
    await sidebar(chat).locator('[data-testid="customer-code"]').waitFor();
    const name = (await sidebar(chat).locator('[data-testid="customer-name"]').first().innerText()).trim();
    expect(name).not.toBe('');

    await deliver(chat, '你好，经营贷想贷120万，利率多少？');
    await expect.poll(() => posts().length, { timeout: 30_000 }).toBe(2);
    const post = posts()[1]!;
    expect(post).toMatchObject({ timestamp: expect.any(String), sign: expect.any(String) });
    const body = text(post);
    expect(body).toContain(`购买信号：${name}`);
    expect(body).toContain('1200000');
    expect(body).toContain('经营贷想贷120万');
    expect(em.state.requests.filter((r) => r.token === token).map((r) => r.code)).toEqual(['0', '0']);

    // A small amount: the sidebar has understood it (its deal suggestion names 5万), and no post.
    await deliver(chat, '那如果只贷5万呢？');
    const deal = sidebar(chat).locator('[data-testid="suggestion"][data-kind="deal"]');
    // The background runs the rules (and awaits any post) before it answers with the suggestions,
    // so once the sidebar shows 5万 the rule has been evaluated on that message.
    await expect.poll(() => deal.innerText(), { timeout: 20_000 }).toMatch(/5万|50,?000/);
    expect(posts()).toHaveLength(2);
    expect(em.state.requests.filter((r) => r.token === token)).toHaveLength(2);
  });

  it('seed 004 parallel "also post to the team group": a ticket filed beside the chat is posted to the group, signed', async () => {
    const options = await e2e.context.newPage();
    await options.goto(e2e.extensionUrl('options.html'));
    const groups = options.locator('[data-testid="strategy-section"] [data-testid="strategy-groups"]');
    await groups.waitFor({ timeout: 20_000 });
    await groups.locator('[data-testid="strategy-route-group-ticket"] label', { hasText: '销售一组' }).locator('input').check();
    await options.locator('[data-testid="strategy-save"]').click();
    await options.locator('[data-testid="strategy-saved"]').waitFor();
    await options.close();

    const before = posts().length;
    await deliver(chat, '你们上周装的空调又坏了，师傅说好的周三来也没来');
    const suggestion = sidebar(chat).locator('[data-testid="suggestion"][data-kind="ticket"]');
    await suggestion.waitFor({ timeout: 20_000 });
    await suggestion.locator('[data-testid="suggestion-accept"]').click();
    await sidebar(chat).locator('[data-testid="ticket-submit"]').click();
    await expect.poll(() => posts().length, { timeout: 30_000 }).toBe(before + 1);
    const post = posts().at(-1)!;
    expect(post).toMatchObject({ timestamp: expect.any(String), sign: expect.any(String) });
    const body = text(post);
    expect(body).toContain('售后：');
    expect(body).toContain('空调又坏了');
    expect(body).toContain('分类：售后');
  });
});
