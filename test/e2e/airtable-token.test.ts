// Issue 16 in the real browser, the pasted-token kind: Airtable connected from the options page
// with a personal access token and a base chosen by name, its tables created by the one-click
// setup, and a customer created beside the demo chat arriving as a record in the Airtable
// emulator (test/emulators/airtable, a plain-HTTP server) served as https://api.airtable.com
// through a TLS proxy on loopback: the extension uses the production URL and its real host
// permission, and nothing leaves the machine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startAirtableEmulator, type AirtableEmulator } from '../emulators/airtable/index';
import { grantHostsLikeTheUser, openDemoChat, startE2E, type E2E } from './harness';
import { proxyArgs, startTlsProxy, type TlsProxy } from './tls-proxy';
import { sidebar } from './sidebar-locator';

const BASE = '客户管理';
let e2e: E2E;
let at: AirtableEmulator;
let proxy: TlsProxy;
let baseId: string;
let chat: Page;

const airtableState = (p: Page) => sidebar(p).locator('[data-testid="sync-state"]', { hasText: 'Airtable' });
const customers = () => at.control.rows(baseId, '客户') as { id: string; fields: Record<string, unknown> }[];

beforeAll(async () => {
  at = await startAirtableEmulator();
  // The user's workspace: the base to sync and another one the token can also see.
  baseId = at.control.addBase(BASE).id;
  at.control.addBase('项目排期');
  proxy = await startTlsProxy('api.airtable.com', at.url);
  e2e = await startE2E({ args: proxyArgs([proxy]) });
  // The spec's one host (lib/crm/airtable/spec.ts hostPermissions), as the user's "Allow" grants it.
  await grantHostsLikeTheUser(e2e, ['https://api.airtable.com/*']);
});
afterAll(async () => {
  await e2e?.stop();
  await proxy?.close();
  await at?.close();
});

describe('Airtable connected with a pasted personal access token', () => {
  it('tests the token and base by name, saves, and creates the tables in one click', async () => {
    const options = await e2e.context.newPage();
    await options.goto(e2e.extensionUrl('options.html'));
    await options.locator('[data-testid="conn-add-airtable"]').click();
    const form = options.locator('[data-testid="connection-form"]');
    await form.locator('[data-testid="conn-field-token"]').fill(at.token);

    // A base name the token cannot see is refused by "test connection", with the reason.
    await form.locator('[data-testid="conn-field-baseName"]').fill('客户管理表');
    await form.locator('[data-testid="conn-test"]').click();
    await expect.poll(() => form.locator('[data-testid="conn-error"]').innerText(), { timeout: 20_000 }).toMatch(/找不到名为「客户管理表」的 Base|No base named "客户管理表"/);
    expect(await form.locator('[data-testid="conn-test-ok"]').count()).toBe(0);

    // The right name: the test names the account (whoami's email) and the base.
    await form.locator('[data-testid="conn-field-baseName"]').fill(BASE);
    await form.locator('[data-testid="conn-test"]').click();
    await expect.poll(() => form.locator('[data-testid="conn-test-ok"]').innerText(), { timeout: 20_000 }).toContain(`sales@example.com · ${BASE}`);
    expect(at.state.requests.some((r) => r.api === 'meta.whoami' && r.status === 200)).toBe(true);
    await form.locator('[data-testid="conn-save"]').click();

    const row = options.locator('[data-testid="connection"]', { hasText: 'Airtable' });
    await row.waitFor({ timeout: 20_000 });
    // The token stays in the background: the page never shows it again.
    expect(await options.content()).not.toContain(at.token);

    // One click: the four tables with their fields, the merge key and the customer link.
    expect(at.control.table(baseId, '客户')).toBeUndefined();
    await row.locator('[data-testid="conn-prepare"]').click();
    const prepared = row.locator('[data-testid="conn-prepared"]');
    await expect.poll(() => prepared.count(), { timeout: 30_000 }).toBe(1);
    expect(await prepared.getAttribute('class')).toBe('lzo-ok');
    const text = await prepared.innerText();
    for (const t of ['客户', '跟进记录', '成交', '任务']) expect(text).toContain(t);
    const table = at.control.table(baseId, '客户')!;
    expect(table.fields.map((f) => f.name)).toEqual(expect.arrayContaining(['客户名称', '客户编号', '电话', 'Liaison Key']));
    expect(at.control.table(baseId, '跟进记录')!.fields.some((f) => f.name === '客户' && f.type === 'multipleRecordLinks')).toBe(true);
    // Setup wrote into the chosen base only.
    const other = [...at.state.bases.values()].find((b) => b.name === '项目排期')!;
    expect(other.tables).toHaveLength(0);

    // Editing the saved connection offers the token's bases by name (the base list of the Meta API).
    await row.locator('[data-testid="conn-edit"]').click();
    const edit = options.locator('[data-testid="connection-form"]');
    await expect.poll(() => edit.locator('[data-testid="conn-choice-baseName"]').innerText(), { timeout: 20_000 }).toBe(BASE);
    const listed = await edit.locator('datalist#lzo-conn-baseName-choices option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(listed.sort()).toEqual([BASE, '项目排期'].sort());
    await options.close();
  });

  it('creates the customer beside the chat as an Airtable record and shows it synced with its code', async () => {
    chat = await openDemoChat(e2e, 'u_8613800138000');
    await sidebar(chat).locator('[data-testid="create-submit"]').click();
    await expect.poll(() => customers().length, { timeout: 30_000 }).toBe(1);
    const record = customers()[0]!;
    expect(String(record.fields['电话'])).toContain('13800138000');
    expect(String(record.fields['客户名称'] ?? '')).not.toBe('');
    expect(record.fields['Liaison Key']).toEqual(expect.any(String));

    await expect.poll(() => airtableState(chat).getAttribute('data-state'), { timeout: 30_000 }).toBe('synced');
    const code = (await sidebar(chat).locator('[data-testid="customer-code"]').innerText()).trim();
    // The record keeps Liaison's 客户编号, and the sidebar shows it as Airtable's code.
    expect(record.fields['客户编号']).toBe(code);
    expect((await airtableState(chat).locator('[data-testid="sync-code"]').innerText()).trim()).toBe(code);
    // Created once, by performUpsert on the Liaison Key (a retried write cannot make a second record).
    expect(customers()).toHaveLength(1);
    const writes = at.state.requests.filter((r) => r.api.startsWith('records.') && r.method !== 'GET');
    expect(writes.length).toBeGreaterThanOrEqual(1);
    expect(writes.every((r) => r.api === 'records.upsert' && r.status === 200)).toBe(true);
  });

  it('logs a follow-up beside the chat as a 跟进记录 record linked to the customer', async () => {
    const form = sidebar(chat).locator('[data-testid="followup-form"]');
    await form.locator('textarea').first().fill('电话沟通：客户想了解抵押贷利率');
    await form.locator('[data-testid="followup-submit"]').click();
    const followUps = () => at.control.rows(baseId, '跟进记录') as { id: string; fields: Record<string, unknown> }[];
    await expect.poll(() => followUps().length, { timeout: 30_000 }).toBe(1);
    const f = followUps()[0]!;
    expect(String(f.fields['跟进内容'])).toContain('抵押贷');
    expect(f.fields['客户']).toEqual([customers()[0]!.id]);
    // The customer's inverse link lists it (maintained by Airtable, read by the two-way side).
    expect(customers()[0]!.fields['跟进记录']).toEqual([f.id]);
    await expect.poll(() => airtableState(chat).getAttribute('data-state'), { timeout: 30_000 }).toBe('synced');
    expect(customers()).toHaveLength(1);
  });
});
