// A team on one CRM (issue 15), the user's side, in real Chromium with the built extension: a
// colleague already has 张伟 in NocoDB (the strict emulator, served on loopback). Opening the
// demo chat with 张伟's phone offers NocoDB's record (「在 NocoDB 中找到：KH000001 张伟 · 已联系」);
// 关联 links it without creating anything in NocoDB, and the card shows NocoDB's code, stage
// and the colleague's follow-up with its author and source. A colleague's edit of 客户阶段 comes
// back with 刷新. A local edit that cannot reach NocoDB yet (a proxy answers its writes with 429)
// and a colleague's edit of the same field: the CRM wins, the sidebar says what was replaced, and
// 恢复 puts the local value back, which then reaches NocoDB.
//
// Build first: LIAISON_OUT_DIR=.output-ui npx wxt build --mode development
// Run: LIAISON_OUT_DIR=.output-ui npx vitest run --project e2e test/e2e/team-sync.test.ts
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNocodbAdapter } from '../../lib/crm/nocodb/adapter';
import { nocoTime, startNocodbEmulator, type NocodbEmulator } from '../emulators/nocodb/index';
import { openDemoChat, startE2E, type E2E } from './harness';
import { sidebar } from './sidebar-locator';

/** The demo chat with 张伟, 13800138000. */
const THREAD = 'u_8613800138000';
const SLOW = { timeout: 30_000 };

let em: NocodbEmulator;
let server: Server;
let host = '';
/** While set, writes to NocoDB's data API are answered 429 by the loopback bridge (a proxy's rate limit), untouched. */
let holdWrites = false;
const held: string[] = [];
let e2e: E2E;
let options: Page;
let chat: Page;
let remoteId = 0;
const sb = () => sidebar(chat);

beforeAll(async () => {
  em = startNocodbEmulator();
  // The emulator's clock starts on 2026-12-06 03:00 UTC and moves only when told: bring it to now,
  // so 上次读取 and the follow-ups' times read as they would against a live server.
  if (Date.now() > em.now()) em.advance(Date.now() - em.now());
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const method = req.method ?? 'GET';
        if (holdWrites && method !== 'GET' && /\/api\/v2\/tables\/[^/]+\/records/.test(req.url ?? '')) {
          held.push(`${method} ${req.url}`);
          res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' }).end(JSON.stringify({ msg: 'Too many requests' }));
          return;
        }
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
        const body = Buffer.concat(chunks);
        const r = await em.fetch(`http://${req.headers.host ?? '127.0.0.1'}${req.url ?? '/'}`, {
          method,
          headers,
          ...(body.length > 0 && method !== 'GET' && method !== 'HEAD' ? { body: new Uint8Array(body) } : {}),
        });
        res.writeHead(r.status, Object.fromEntries(r.headers));
        res.end(Buffer.from(await r.arrayBuffer()));
      })().catch((err: unknown) => {
        res.writeHead(502).end(String(err));
      });
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // The team's base, as 创建/检查推荐表格 makes it: 客户 (客户编号 a formula on the row id), 跟进记录, 成交记录.
  await createNocodbAdapter({
    db: undefined,
    connection: { id: 'setup', kind: 'nocodb', name: 'NocoDB', enabled: true, settings: { host, base_id: em.baseId }, createdAt: 0 },
    secrets: { api_token: em.token },
    now: Date.now,
    fetch: em.fetch,
  }).setupRecommendedTables();
  // A colleague created 张伟 in NocoDB and logged a call, as 李娜.
  remoteId = await em.colleague.insert('客户', { 姓名: '张伟', 电话: '13800138000', 公司: '伟业贸易', 客户阶段: '已联系', 意向等级: '高' });
  await em.colleague.insert('跟进记录', { 跟进内容: '电话沟通经营贷，客户在比较几家银行的利率', 跟进方式: '电话', 跟进人: '李娜', 跟进时间: nocoTime(em.now() - 3_600_000), 客户: { Id: remoteId } });

  e2e = await startE2E();
  // Connect NocoDB in the options page, as a user would.
  options = await e2e.context.newPage();
  await options.goto(e2e.extensionUrl('options.html'));
  await options.locator('[data-testid="conn-add-nocodb"]').click();
  const form = options.locator('[data-testid="connection-form"]');
  await form.locator('[data-testid="conn-field-host"]').fill(host);
  await form.locator('[data-testid="conn-field-base_id"]').fill(em.baseId);
  await form.locator('[data-testid="conn-field-api_token"]').fill(em.token);
  // The default conflict rule: the CRM wins.
  expect(await form.locator('[data-testid="conn-conflict-rule"]').inputValue()).toBe('remote');
  await form.locator('[data-testid="conn-test"]').click();
  await form.locator('[data-testid="conn-test-ok"]').waitFor(SLOW);
  await form.locator('[data-testid="conn-save"]').click();
  await options.locator('[data-testid="connection"]', { hasText: 'NocoDB' }).waitFor(SLOW);
}, 120_000);

afterAll(async () => {
  await e2e?.stop();
  await new Promise((ok) => (server ? server.close(ok) : ok(undefined)));
});

const customers = () => em.tableByTitle('客户')!.rows;
const stageInNocodb = () => String(em.view('客户', remoteId)?.['客户阶段'] ?? '');
/** The card's NocoDB row (the other is the local CRM's, 本地). */
const nocodbRow = () => sb().locator('[data-testid="sync-state"]', { hasText: 'NocoDB' });
const flat = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('a team on one NocoDB, beside the chat', () => {
  it('the unknown contact is found in NocoDB: one line with its code and stage, 关联 beside it', { timeout: 60_000 }, async () => {
    chat = await openDemoChat(e2e, THREAD);
    const line = sb().locator('[data-testid="remote-candidate"]');
    await line.first().waitFor(SLOW);
    expect(await line.count()).toBe(1);
    expect(await line.getAttribute('data-remote-id')).toBe(String(remoteId));
    expect(flat(await line.locator('[data-testid="remote-candidate-text"]').innerText())).toBe('在 NocoDB 中找到：KH000001 张伟 · 已联系');
    // Nothing picked silently: still an unknown contact until the user links.
    expect(await sb().locator('[data-testid="customer-code"]').count()).toBe(0);
    if (process.env.E2E_SHOTS) await chat.screenshot({ path: `${process.env.E2E_SHOTS}/team-candidate.png` });
  });

  it('关联: the card shows NocoDB’s code and stage and 李娜’s follow-up with its source; nothing is created in NocoDB', { timeout: 60_000 }, async () => {
    await sb().locator('[data-testid="remote-candidate-link"]').click();
    await expect.poll(() => sb().locator('[data-testid="customer-code"]').count(), SLOW).toBe(1);
    expect(await sb().locator('[data-testid="customer-code"]').innerText()).toBe('KH000001');
    // NocoDB allocates the codes (codeMaster): the code is NocoDB's, not a temporary one.
    expect(await sb().locator('[data-testid="code-temporary"]').count()).toBe(0);
    expect(await sb().locator('[data-testid="stage-badge"]').first().innerText()).toBe('已联系');
    const item = sb().locator('[data-testid="followup-item"]', { hasText: '比较几家银行' });
    await item.waitFor(SLOW);
    expect(await item.locator('[data-testid="followup-author"]').innerText()).toBe('李娜');
    expect(await item.locator('[data-testid="followup-source"]').innerText()).toBe('来自 NocoDB');
    // The NocoDB row: its code, read just now, 刷新 offered.
    await expect.poll(() => nocodbRow().count(), SLOW).toBe(1);
    expect(await nocodbRow().locator('[data-testid="sync-code"]').innerText()).toBe('KH000001');
    expect(await nocodbRow().locator('[data-testid="link-pulled-at"]').innerText()).toMatch(/^上次读取 /);
    expect(await nocodbRow().locator('[data-testid="pull-now"]').count()).toBe(1);
    // Linked, not created: NocoDB still holds the colleague's one row.
    expect(customers()).toHaveLength(1);
    if (process.env.E2E_SHOTS) await chat.screenshot({ path: `${process.env.E2E_SHOTS}/team-linked.png` });
  });

  it('a colleague moves 客户阶段 in NocoDB: 刷新 shows it', { timeout: 60_000 }, async () => {
    em.advance(2_000); // NocoDB's UpdatedAt is to the second
    await em.colleague.patch('客户', remoteId, { 客户阶段: '谈判中' });
    await nocodbRow().locator('[data-testid="pull-now"]').click();
    await expect.poll(() => sb().locator('[data-testid="stage-badge"]').first().innerText(), SLOW).toBe('谈判中');
    expect(await nocodbRow().locator('[data-testid="pull-error"]').count()).toBe(0);
    expect(await sb().locator('[data-testid="conflict"]').count()).toBe(0);
  });

  it('both sides change 客户阶段: the CRM wins, the sidebar says what it replaced, 恢复 puts it back and it reaches NocoDB', { timeout: 90_000 }, async () => {
    // This browser's edit cannot reach NocoDB yet: its writes are answered 429.
    holdWrites = true;
    await sb().locator('[data-testid="stage-select"]').selectOption('方案沟通');
    await expect.poll(() => sb().locator('[data-testid="stage-badge"]').first().innerText(), SLOW).toBe('方案沟通');
    await expect.poll(() => held.length, SLOW).toBeGreaterThan(0);
    expect(stageInNocodb()).toBe('谈判中');

    // Meanwhile a colleague sets it to 跟进中 in NocoDB.
    em.advance(2_000);
    await em.colleague.patch('客户', remoteId, { 客户阶段: '跟进中' });
    await nocodbRow().locator('[data-testid="pull-now"]').click();

    const notice = sb().locator('[data-testid="conflict"]');
    await notice.waitFor(SLOW);
    expect(await notice.getAttribute('data-field')).toBe('stage');
    expect(flat(await notice.locator('[data-testid="conflict-text"]').innerText())).toBe('NocoDB 和本机同时修改了「客户阶段」：已采用 CRM 的「跟进中」，替换了本机的「方案沟通」');
    await expect.poll(() => sb().locator('[data-testid="stage-badge"]').first().innerText(), SLOW).toBe('跟进中');
    if (process.env.E2E_SHOTS) await chat.screenshot({ path: `${process.env.E2E_SHOTS}/team-conflict.png` });

    expect(flat(await notice.locator('[data-testid="conflict-restore"]').innerText())).toBe('恢复「方案沟通」');
    await notice.locator('[data-testid="conflict-restore"]').click();
    await expect.poll(() => sb().locator('[data-testid="conflict"]').count(), SLOW).toBe(0);
    await expect.poll(() => sb().locator('[data-testid="stage-badge"]').first().innerText(), SLOW).toBe('方案沟通');

    // The proxy lets writes through again; the restored value goes to NocoDB (待同步 → 重试 now, as the user can).
    holdWrites = false;
    const retry = nocodbRow().locator('[data-testid="sync-retry"]');
    if ((await retry.count()) > 0) await retry.click().catch(() => undefined);
    await expect.poll(stageInNocodb, { timeout: 60_000 }).toBe('方案沟通');
    await expect.poll(() => nocodbRow().getAttribute('data-state'), { timeout: 60_000 }).toBe('synced');
    expect(customers()).toHaveLength(1);
  });
});
