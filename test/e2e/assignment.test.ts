// Seed 003 #2 销售线索自动分配 end to end in Chromium: 智邦ERP (its emulator on loopback) and
// DingTalk (https://api.dingtalk.com and https://oapi.dingtalk.com served by its emulator through
// TLS proxies) connected in options; 团队与分配 set to automatic with two salespeople, each with
// their ERP user id and DingTalk userId. A new customer created beside the demo chat gets the
// member whose 产品线 matches as 负责人 (shown beside the chat, with the rule that chose them),
// the ERP's 客户指派 (order.asp) names that user once the customer exists there, and the member
// gets a DingTalk 工作通知 naming the customer. 改派 from the sidebar moves both to the other member.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startZhibangEmulator, DEFAULT_USER, type ZhibangEmulator } from '../emulators/zhibang/index';
import { APP, startDingtalkEmulator, USERS, type DingtalkEmulator } from '../emulators/dingtalk/index';
import { grantHostsLikeTheUser, openDemoChat, startE2E, type E2E } from './harness';
import { proxyArgs, startTlsProxy, type TlsProxy } from './tls-proxy';
import { sidebar } from './sidebar-locator';
import { connectZhibang, saveTested } from './connection-form';

const ZHANG_WEI = 'u_8613800138000';
// The second ERP user the emulator knows (the first is DEFAULT_USER).
const OTHER_ERP_ID = 64;

let e2e: E2E;
let zb: ZhibangEmulator;
let dd: DingtalkEmulator;
let proxies: TlsProxy[] = [];
let options: Page;

beforeAll(async () => {
  zb = await startZhibangEmulator({ users: [DEFAULT_USER, { ...DEFAULT_USER, id: OTHER_ERP_ID, user: 'sales02', name: '王强' }] });
  dd = await startDingtalkEmulator();
  proxies = [await startTlsProxy('api.dingtalk.com', dd.url), await startTlsProxy('oapi.dingtalk.com', dd.url)];
  e2e = await startE2E({ args: proxyArgs(proxies) });
  await grantHostsLikeTheUser(e2e, ['https://api.dingtalk.com/*', 'https://oapi.dingtalk.com/*']);
});
afterAll(async () => {
  await e2e?.stop();
  for (const p of proxies) await p.close();
  await zb?.close();
  await dd?.close();
});


describe('团队与分配: a new customer gets a 负责人, assigned in the ERP and told on DingTalk', () => {
  it('connects 智邦ERP and DingTalk, and sets up the team', async () => {
    options = await e2e.context.newPage();
    await options.goto(e2e.extensionUrl('options.html'));
    await connectZhibang(options, zb, 2);

    await options.locator('[data-testid="conn-add-dingtalk"]').click();
    const form = options.locator('[data-testid="connection-form"]');
    await form.locator('[data-testid="conn-name"]').fill('钉钉');
    await form.locator('[data-testid="conn-field-appKey"]').fill(APP.appKey);
    await form.locator('[data-testid="conn-field-app_secret"]').fill(APP.appSecret);
    await form.locator('[data-testid="conn-field-userId"]').fill(USERS[0].userid);
    await form.locator('[data-testid="conn-field-agentId"]').fill(String(APP.agentId));
    await saveTested(options, form, 3);

    const section = options.locator('[data-testid="assignment-section"]');
    await section.waitFor();
    await section.locator('[data-testid="assign-mode-auto"]').check();
    const members = [
      { name: '李娜', products: '抵押贷', erp: String(DEFAULT_USER.id), dd: USERS[0].userid },
      { name: '王强', products: '车贷', erp: String(OTHER_ERP_ID), dd: USERS[1].userid },
    ];
    for (const [i, m] of members.entries()) {
      await section.locator('[data-testid="assign-add-member"]').click();
      const row = section.locator(`[data-testid="assign-member-${i}"]`);
      await row.locator('[data-testid="member-name"]').fill(m.name);
      await row.locator('[data-testid="member-products"]').fill(m.products);
      await row.locator('[data-testid="member-products"]').blur();
      const ids = row.locator('input[data-testid^="member-account-"]');
      expect(await ids.count()).toBe(2); // 智邦 (客户指派) and 钉钉 (通知)
      await row.locator('label', { hasText: 'ERP 用户编号' }).locator('input').fill(m.erp);
      await row.locator('label', { hasText: '钉钉 userId' }).locator('input').fill(m.dd);
    }
    await section.locator('[data-testid="assign-save"]').click();
    await section.locator('[data-testid="assign-saved"]').waitFor();
  });

  it('assigns a new 抵押贷 customer to 李娜: 负责人 beside the chat, 客户指派 in the ERP, a work notice on DingTalk', async () => {
    const chat = await openDemoChat(e2e, ZHANG_WEI);
    const side = sidebar(chat);
    await side.locator('[data-testid="create-customer"] select[id$="-product"]').selectOption('抵押贷');
    await side.locator('[data-testid="create-submit"]').click();
    const owner = side.locator('[data-testid="owner"]');
    await expect.poll(() => owner.locator('[data-testid="owner-name"]').innerText(), { timeout: 20_000 }).toBe('李娜');
    expect(await owner.locator('[data-testid="owner-reason"]').innerText()).toBe('按产品线自动分配');

    await expect.poll(() => zb.state.assignments.length, { timeout: 40_000 }).toBe(1);
    const ord = zb.state.saved()[0]!.ord;
    expect(zb.state.assignments[0]).toMatchObject({ ord, member1: 0, member2: [DEFAULT_USER.id] });
    await expect.poll(() => dd.control.notices().length, { timeout: 40_000 }).toBe(1);
    const notice = dd.control.notices()[0]!;
    expect(notice).toMatchObject({ userid: USERS[0].userid, delivered: true });
    expect(notice.content).toContain('新客户分配给 李娜');
    expect(notice.content).toContain('意向产品：抵押贷');
    await expect.poll(() => owner.locator('[data-testid="owner-notices"]').innerText(), { timeout: 20_000 }).toMatch(/智邦：已客户指派[\s\S]*钉钉：已通知|钉钉：已通知[\s\S]*智邦：已客户指派/);
  });

  it('改派 to 王强 from the sidebar: the ERP assignment and a DingTalk notice follow', async () => {
    const chat = await openDemoChat(e2e, ZHANG_WEI);
    const side = sidebar(chat);
    const owner = side.locator('[data-testid="owner"]');
    await owner.waitFor({ timeout: 20_000 });
    await owner.locator('[data-testid="owner-pick"]').selectOption({ label: '王强' });
    await owner.locator('[data-testid="owner-assign"]').click();
    await expect.poll(() => owner.locator('[data-testid="owner-name"]').innerText(), { timeout: 20_000 }).toBe('王强');
    await expect.poll(() => zb.state.assignments.length, { timeout: 40_000 }).toBe(2);
    expect(zb.state.assignments[1]).toMatchObject({ member1: 0, member2: [OTHER_ERP_ID] });
    await expect.poll(() => dd.control.notices().length, { timeout: 40_000 }).toBe(2);
    expect(dd.control.notices()[1]).toMatchObject({ userid: USERS[1].userid, delivered: true });
    expect(dd.control.notices()[1]!.content).toContain('新客户分配给 王强');
  });
});
