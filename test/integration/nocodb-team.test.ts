// Issue 15 against a REAL NocoDB 0.301.3: a team on one CRM. Two Chromium instances with their
// own profiles (two salespeople, A and B), each with the built extension and NocoDB connected
// through its options page, on one NocoDB base. Each browser reaches NocoDB through its own
// pass-through proxy (helpers.ts startNocodbProxy), which logs what each pull costs and can hold a
// request in flight while the test stops that browser's service worker.
//
// Pulls are triggered for real: the background's own pull alarm, re-created to fire at once
// (firePullAlarm; the same listener and team.pullAll() as the periodic tick). Both browsers set
// 拉取间隔 (settings.pullMinutes) to 60 minutes first, so no periodic pull runs except the ones the
// test fires. The stale-on-open read (sidebar.state → pullIfStale, after 60 s) may add per-customer
// reads; the proxy log says how many.
//
// Needs the built extension (`npm run test:integration` builds it first).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { LiaisonDb } from '../../lib/db/db';
import { pullConnection, pullCustomer } from '../../lib/sync/pull';
import { linkSchema, LOCAL_CONNECTION_ID } from '../../lib/model';
import { PULL_ALARM, firePullAlarm, openDemoChat, poll, startE2E, stopServiceWorker, type E2E } from '../e2e/harness';
import { sidebar } from '../e2e/sidebar-locator';
import { adapterFor, allRows, api, ask, connectNocodbInOptions, count, customer as localCustomer, exportOf, isChangesRequest, preparedBase, startNocodbProxy, type ProxiedRequest } from './helpers';

const THREAD = 'u_8613800138000';
const PHONE = '+8613800138000';
/** 拉取间隔 in both browsers: long enough that only the pulls this test fires run. */
const PULL_MINUTES = 60;
const N = 100;

type Row = Record<string, unknown>;
type Proxy = Awaited<ReturnType<typeof startNocodbProxy>>;
interface Seller {
  name: 'A' | 'B';
  e2e: E2E;
  proxy: Proxy;
  /** The options page, left open: messages from an extension page are sent from it. */
  options: Page;
  chat?: Page;
  connectionId: string;
}

let ctx: Awaited<ReturnType<typeof preparedBase>>;
let A: Seller;
let B: Seller;
/** The chat customer's NocoDB row Id and 客户编号. */
let remoteId = '';
let code = '';

/** NocoDB's DateTime text for an instant (what its UI stores for 下次跟进). */
const noco = (ms: number) => `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}+00:00`;
const row = async (id: string) => (await api<Row>('GET', `/api/v2/tables/${ctx.tables.customers}/records/${id}`)).body;
const patchRows = async (rows: Row[]) => {
  for (let i = 0; i < rows.length; i += 100) {
    const r = await api('PATCH', `/api/v2/tables/${ctx.tables.customers}/records`, rows.slice(i, i + 100));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  }
};
/** Changes requests on the customers table (the follow-ups feed asks its own table the same way). */
const changesSinceMark = (s: Seller, mark: number) => s.proxy.log.slice(mark).filter((r) => isChangesRequest(r) && r.path.includes(`/tables/${ctx.tables.customers}/`)).length;
const feedRequests = (s: Seller, mark: number) => s.proxy.log.slice(mark).filter((r) => isChangesRequest(r) && r.path.includes(`/tables/${ctx.tables.followUps}/`));
const recordReads = (log: ProxiedRequest[]) => log.filter((r) => r.method === 'GET' && /\/records\/\d+$/.test(r.path)).length;

async function seller(name: 'A' | 'B'): Promise<Seller> {
  const proxy = await startNocodbProxy();
  const e2e = await startE2E();
  const options = await connectNocodbInOptions(e2e, proxy.url, ctx.baseId);
  const { connections } = await ask<{ connections: { id: string; kind: string }[] }>(options, 'connection.list', {});
  const connectionId = connections.find((c) => c.kind === 'nocodb')!.id;
  // 拉取间隔 60 min (a user setting), then the alarm re-made with that period: no pull but ours.
  const settings = await ask<Record<string, unknown>>(options, 'settings.get', {});
  await ask(options, 'settings.save', { settings: { ...settings, pullMinutes: PULL_MINUTES } });
  const sw = await e2e.worker();
  // (poll, not expect.poll: this runs in beforeAll)
  await poll(() => sw.evaluate(async (n) => (await (globalThis as unknown as { chrome: { alarms: { get(n: string): Promise<{ periodInMinutes?: number } | undefined> } } }).chrome.alarms.get(n))?.periodInMinutes, PULL_ALARM), (p) => p === PULL_MINUTES, 15_000, 'the pull alarm re-armed');
  await firePullAlarm(e2e, PULL_MINUTES);
  return { name, e2e, proxy, options, connectionId };
}

/** Fire the periodic pull in this browser and wait until it has asked NocoDB for changes (and been answered). */
async function pull(s: Seller): Promise<number> {
  const mark = s.proxy.log.length;
  await firePullAlarm(s.e2e, PULL_MINUTES);
  await expect.poll(() => changesSinceMark(s, mark), { timeout: 30_000 }).toBeGreaterThan(0);
  return mark;
}

async function localCustomer1(s: Seller) {
  const t = await exportOf(s.options);
  const link = t.links.find((l) => l.connectionId === s.connectionId && l.remoteId === remoteId);
  return { tables: t, link, customer: t.customers.find((c) => c.id === link?.customerId) };
}

async function drained(s: Seller) {
  await expect
    .poll(async () => (await ask<{ connections: { connectionId: string; queued: number; failed: number }[] }>(s.options, 'sync.health', {})).connections.find((c) => c.connectionId === s.connectionId), { timeout: 120_000 })
    .toMatchObject({ queued: 0, failed: 0 });
}

/** The stopped worker's request is abandoned (its socket closes); never wait more than 10 s for it. */
const gone = (h: { clientGone: Promise<void> }) => Promise.race([h.clientGone, new Promise((r) => setTimeout(r, 10_000))]);
const stageOf = (page: Page) => sidebar(page).locator('[data-testid="stage-select"]').inputValue();

beforeAll(async () => {
  ctx = await preparedBase('team');
  // One after the other: two Chromiums starting at once on a loaded 2-core machine time out.
  A = await seller('A');
  B = await seller('B');
});
afterAll(async () => {
  for (const s of [A, B]) {
    await s?.e2e.stop();
    await s?.proxy.close();
  }
});

describe('two salespeople on one NocoDB', () => {
  it('A creates a customer from a chat; B, opening a chat with the same phone, links it from NocoDB and shows A’s code and history; NocoDB keeps one row', async () => {
    A.chat = await openDemoChat(A.e2e, THREAD);
    await sidebar(A.chat).locator('[data-testid="create-submit"]').click();
    await expect.poll(() => count(ctx.tables.customers), { timeout: 60_000 }).toBe(1);
    const [made] = await allRows(ctx.tables.customers, ['Id', '客户编号', '电话']);
    remoteId = String(made!.Id);
    code = String(made!['客户编号']);
    expect(made!['电话']).toBe(PHONE);
    expect(code).toBe(`KH${remoteId.padStart(6, '0')}`);
    // A shows NocoDB's code, no longer the temporary one.
    await expect.poll(() => sidebar(A.chat!).locator('[data-testid="customer-code"]').innerText(), { timeout: 30_000 }).toBe(code);
    expect(await sidebar(A.chat).locator('[data-testid="code-temporary"]').count()).toBe(0);

    // A logs a follow-up beside the chat; a colleague (李雷) logs one in NocoDB's own UI.
    await sidebar(A.chat).locator('[data-testid="followup-content"]').fill('客户要了抵押贷报价，周五前回复');
    await sidebar(A.chat).locator('[data-testid="followup-submit"]').click();
    await expect.poll(() => count(ctx.tables.followUps), { timeout: 60_000 }).toBe(1);
    const colleague = await api('POST', `/api/v2/tables/${ctx.tables.followUps}/records`, { 跟进内容: '电话沟通，客户在考虑', 跟进方式: '电话', 跟进人: '李雷', 跟进时间: noco(Date.now() - 3_600_000), 客户: { Id: Number(remoteId) } });
    expect(colleague.status).toBe(200);

    // B: the same phone, never seen in B's browser. NocoDB's record is offered, not created again.
    B.chat = await openDemoChat(B.e2e, THREAD);
    const candidate = sidebar(B.chat).locator(`[data-testid="remote-candidate"][data-remote-id="${remoteId}"]`);
    await candidate.waitFor({ timeout: 30_000 });
    expect(await candidate.getAttribute('data-connection')).toBe(B.connectionId);
    expect(await candidate.innerText()).toContain(code);
    await candidate.locator('[data-testid="remote-candidate-link"]').click();

    await expect.poll(() => sidebar(B.chat!).locator('[data-testid="customer-code"]').innerText(), { timeout: 30_000 }).toBe(code);
    expect(await sidebar(B.chat).locator('[data-testid="code-temporary"]').count()).toBe(0);
    const items = sidebar(B.chat).locator('[data-testid="followup-item"]');
    await expect.poll(() => items.count(), { timeout: 30_000 }).toBe(2);
    const mine = items.filter({ hasText: '客户要了抵押贷报价' });
    const theirs = items.filter({ hasText: '电话沟通，客户在考虑' });
    expect(await mine.count()).toBe(1);
    expect(await theirs.count()).toBe(1);
    expect(await theirs.locator('[data-testid="followup-author"]').innerText()).toContain('李雷');
    for (const item of [mine, theirs]) expect(await item.locator('[data-testid="followup-source"]').innerText()).toContain('NocoDB');
    await expect.poll(() => sidebar(B.chat!).locator('[data-testid="sync-state"]', { hasText: 'NocoDB' }).getAttribute('data-state')).toBe('synced');
    expect(await sidebar(B.chat).locator('[data-testid="link-pulled-at"]').count()).toBeGreaterThan(0);

    // B created nothing: one row in NocoDB, nothing queued for NocoDB in B's outbox, and A's follow-up not echoed back.
    await drained(B);
    expect(await count(ctx.tables.customers)).toBe(1);
    expect(await count(ctx.tables.followUps)).toBe(2);
    const b = await localCustomer1(B);
    expect(b.customer).toMatchObject({ code, phones: [PHONE] });
    expect(b.customer?.codeTemporary).toBeUndefined();
    expect(b.tables.outbox.filter((e) => e.connectionId === B.connectionId)).toEqual([]);
    expect(b.tables.followUps.map((f) => f.origin).sort()).toEqual(['remote', 'remote']);
  });

  it('a stage and a 下次跟进 changed through NocoDB’s REST API reach B’s sidebar and B’s reminders within one pull', async () => {
    // Overdue by two minutes, to the second (NocoDB keeps seconds): the reminder fires at once.
    const due = Math.floor((Date.now() - 120_000) / 1000) * 1000;
    await patchRows([{ Id: Number(remoteId), 客户阶段: '谈判中', 下次跟进: noco(due) }]);
    expect(await stageOf(B.chat!)).not.toBe('谈判中');

    const mark = await pull(B);
    await expect.poll(() => stageOf(B.chat!), { timeout: 30_000 }).toBe('谈判中');
    await expect.poll(() => sidebar(B.chat!).locator('[data-testid="next-followup"] time').first().getAttribute('datetime'), { timeout: 30_000 }).toBe(new Date(due).toISOString());
    expect(await sidebar(B.chat!).locator('[data-testid="next-followup"]').getAttribute('data-state')).toBe('overdue');
    expect(await sidebar(B.chat!).locator('[data-testid="reminder-source"]').innerText()).toContain('NocoDB');
    console.log(`[team] B's pull: ${changesSinceMark(B, mark)} changes request(s), ${recordReads(B.proxy.log.slice(mark))} single-record read(s) (stale-on-open)`);
    expect(changesSinceMark(B, mark)).toBe(1);

    // B's reminders: the reminder row (source NocoDB), the popup's due list, and the notification.
    const b = await localCustomer1(B);
    const reminder = b.tables.reminders.find((r) => r.customerId === b.customer!.id && r.state !== 'done');
    expect(reminder).toMatchObject({ dueAt: due, source: B.connectionId });
    const popup = await B.e2e.context.newPage();
    await popup.goto(B.e2e.extensionUrl('popup.html'));
    await popup.locator('[data-testid="due-item"]', { hasText: b.customer!.name }).waitFor({ timeout: 15_000 });
    await popup.close();
    const sw = await B.e2e.worker();
    await expect
      .poll(() => sw.evaluate(async () => Object.keys(await (globalThis as unknown as { chrome: { notifications: { getAll(): Promise<Record<string, boolean>> } } }).chrome.notifications.getAll())), { timeout: 30_000 })
      .toContain(`reminder:${b.customer!.id}`);
    // A colleague's edit is not Liaison's edit: B queued nothing back to NocoDB.
    expect(b.tables.outbox.filter((e) => e.connectionId === B.connectionId && e.state !== 'done')).toEqual([]);
  });

  it('a follow-up a colleague logs in NocoDB reaches B’s open sidebar with the next periodic pull: one request for every customer’s follow-ups', async () => {
    const posted = await api('POST', `/api/v2/tables/${ctx.tables.followUps}/records`, { 跟进内容: '客户到店看了样品，想要报价单', 跟进方式: '电话', 跟进人: '韩梅梅', 跟进时间: noco(Date.now()), 客户: { Id: Number(remoteId) } });
    expect(posted.status).toBe(200);
    const mark = await pull(B);
    const item = sidebar(B.chat!).locator('[data-testid="followup-item"]', { hasText: '客户到店看了样品' });
    await expect.poll(() => item.count(), { timeout: 30_000 }).toBe(1);
    expect(await item.locator('[data-testid="followup-author"]').innerText()).toContain('韩梅梅');
    expect(await item.locator('[data-testid="followup-source"]').innerText()).toContain('NocoDB');
    const feed = feedRequests(B, mark);
    console.log(`[team] B's pull read colleagues' follow-ups with ${feed.length} feed request(s), ${B.proxy.log.slice(mark).filter((r) => r.path.includes('/links/')).length} per-customer link read(s)`);
    expect(feed).toHaveLength(1);
    // Once: the next pull imports nothing again.
    await pull(B);
    await expect.poll(() => feedRequests(B, mark).length, { timeout: 30_000 }).toBe(2);
    expect(await item.count()).toBe(1);
    expect((await localCustomer1(B)).tables.followUps.filter((f) => f.content.includes('客户到店看了样品'))).toHaveLength(1);
  });

  it('A and B edit different fields of one customer at once: both survive, in NocoDB and in both sidebars', async () => {
    // A catches up first (A has not read the REST edit yet).
    await pull(A);
    await expect.poll(() => stageOf(A.chat!), { timeout: 30_000 }).toBe('谈判中');
    const b = await localCustomer1(B);

    await Promise.all([
      // A in the sidebar: the stage.
      sidebar(A.chat!).locator('[data-testid="stage-select"]').selectOption('方案沟通'),
      // B from an extension page: 意向产品 (the edit form sends the same message).
      ask(B.options, 'customer.update', { customerId: b.customer!.id, patch: { product: '车贷' } }),
    ]);
    await expect.poll(async () => {
      const r = await row(remoteId);
      return [r['客户阶段'], r['意向产品']];
    }, { timeout: 60_000 }).toEqual(['方案沟通', '车贷']);
    await Promise.all([drained(A), drained(B)]);

    await Promise.all([pull(A), pull(B)]);
    await expect.poll(() => stageOf(B.chat!), { timeout: 30_000 }).toBe('方案沟通');
    await expect.poll(() => sidebar(A.chat!).innerText(), { timeout: 30_000 }).toContain('车贷');
    expect(await stageOf(A.chat!)).toBe('方案沟通');
    expect(await sidebar(B.chat!).innerText()).toContain('车贷');
    for (const s of [A, B]) {
      const l = await localCustomer1(s);
      expect(l.customer, s.name).toMatchObject({ stage: '方案沟通', product: '车贷' });
      expect(l.link?.conflicts, s.name).toBeUndefined();
    }
    expect(await row(remoteId)).toMatchObject({ 客户阶段: '方案沟通', 意向产品: '车贷' });
  });

  it('both edit the same field: NocoDB wins (the default rule), and the sidebar whose value was replaced shows it, with one click to restore', async () => {
    // B read the record last in the previous test; A's edit reaches NocoDB before B's, which B has not read.
    await sidebar(A.chat!).locator('[data-testid="stage-select"]').selectOption('成交');
    await expect.poll(async () => (await row(remoteId))['客户阶段'], { timeout: 60_000 }).toBe('成交');
    await sidebar(B.chat!).locator('[data-testid="stage-select"]').selectOption('流失');
    // B's edit is stored with its outbox entry (one transaction) before "drained" means anything.
    // Its sync may already have met A's 成交 by the first look (at load 10 it had, 2026-12-07):
    // then the edit shows as the replaced value of the conflict instead.
    await expect
      .poll(async () => {
        const l = await localCustomer1(B);
        return l.customer?.stage === '流失' || !!l.link?.conflicts?.some((c) => c.field === 'stage' && c.replacedValue === '流失');
      }, { timeout: 30_000 })
      .toBe(true);
    await Promise.all([drained(A), drained(B)]);
    await Promise.all([pull(A), pull(B)]);

    // Both changed 客户阶段 since their common base (方案沟通): NocoDB's value when B synced (A's 成交) stands.
    expect((await row(remoteId))['客户阶段'], 'B’s later write replaced A’s 成交 in NocoDB without anyone seeing a conflict').toBe('成交');
    await expect.poll(() => stageOf(B.chat!), { timeout: 30_000 }).toBe('成交');
    await expect.poll(() => stageOf(A.chat!), { timeout: 30_000 }).toBe('成交');
    const conflict = sidebar(B.chat!).locator('[data-testid="conflict"][data-field="stage"]');
    await conflict.waitFor({ timeout: 30_000 });
    expect(await conflict.innerText()).toContain('流失');
    expect(await sidebar(A.chat!).locator('[data-testid="conflict"]').count()).toBe(0);
    const bl = await localCustomer1(B);
    expect(bl.link?.conflicts?.[0]).toMatchObject({ field: 'stage', kept: 'remote', keptValue: '成交', replacedValue: '流失' });

    // One click gives B's value back: it goes to NocoDB as B's edit and reaches A.
    await conflict.locator('[data-testid="conflict-restore"]').click();
    await expect.poll(() => stageOf(B.chat!), { timeout: 30_000 }).toBe('流失');
    await expect.poll(async () => (await row(remoteId))['客户阶段'], { timeout: 60_000 }).toBe('流失');
    expect(await sidebar(B.chat!).locator('[data-testid="conflict"]').count()).toBe(0);
    await pull(A);
    await expect.poll(() => stageOf(A.chat!), { timeout: 30_000 }).toBe('流失');
  });

  it(`A and B create ${N} customers at once: ${N} distinct codes in NocoDB, the same in both browsers`, async () => {
    const phone = (who: string, i: number) => `${who === 'A' ? '137' : '139'}${String(20_000_000 + i * 7919).slice(-8)}`;
    const create = (s: Seller) =>
      Promise.all(Array.from({ length: N / 2 }, (_, i) => ask<{ customer: { id: string } }>(s.options, 'customer.create', { fields: { name: `${s.name}的客户${i}`, phones: [phone(s.name, i)] } })));
    await Promise.all([create(A), create(B)]);
    await expect.poll(() => count(ctx.tables.customers), { timeout: 240_000, interval: 1000 }).toBe(N + 1);
    await Promise.all([drained(A), drained(B)]);

    const rows = await allRows(ctx.tables.customers, ['Id', '客户编号', '电话']);
    expect(rows).toHaveLength(N + 1);
    const codes = rows.map((r) => String(r['客户编号'] ?? ''));
    expect(codes.every((c) => /^KH\d{6}$/.test(c))).toBe(true);
    expect(new Set(codes).size).toBe(N + 1);
    // Each browser shows each of its customers with NocoDB's code for ITS row, no temporary one left.
    const byPhone = new Map(rows.map((r) => [String(r['电话']), r]));
    const shown: string[] = [];
    for (const s of [A, B]) {
      const t = await exportOf(s.options);
      const made = t.customers.filter((c) => c.name.startsWith(`${s.name}的客户`));
      expect(made, s.name).toHaveLength(N / 2);
      for (const c of made) {
        const r = byPhone.get(c.phones[0]!);
        expect(r, `${s.name} ${c.name}`).toBeDefined();
        expect(c.code, `${s.name} ${c.name}`).toBe(r!['客户编号']);
        expect(c.codeTemporary).toBeUndefined();
        expect(t.links.find((l) => l.customerId === c.id && l.connectionId === s.connectionId)?.remoteId).toBe(String(r!.Id));
        shown.push(c.code);
      }
    }
    // Two browsers never show two customers the same code.
    expect(new Set(shown).size).toBe(N);
  });

  const EXTRA = 1000;
  it('the worker stopped during pulls loses nothing: a later pull applies every remote edit made before it', async () => {
    const started = Date.now();
    // A colleague's 1,000 customers (typed into NocoDB), then one more of B's, so that B's row is on
    // the changes' second page: the pull reads pages of 1,000 (NocoDB's maximum), rows sorted by Id.
    for (let i = 0; i < EXTRA; i += 100) {
      const batch = Array.from({ length: Math.min(100, EXTRA - i) }, (_, k) => ({ 姓名: `同事的客户${i + k}` }));
      const r = await api('POST', `/api/v2/tables/${ctx.tables.customers}/records`, batch);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
    const last = await ask<{ customer: { id: string } }>(B.options, 'customer.create', { fields: { name: 'B的压轴客户', phones: ['13911112222'] } });
    await expect.poll(() => count(ctx.tables.customers), { timeout: 60_000 }).toBe(N + 2 + EXTRA);
    await drained(B);
    await pull(B); // the watermark now sits after everything so far
    await new Promise((r) => setTimeout(r, 2_500)); // past the watermark's 2 s overlap, to the second

    // A colleague edits every row in NocoDB: a stage and an amount of its own per row.
    const rows = await allRows(ctx.tables.customers, ['Id']);
    expect(rows).toHaveLength(N + 2 + EXTRA);
    const amount = (id: unknown) => 10_000 + Number(id);
    await patchRows(rows.map((r) => ({ Id: r.Id, 客户阶段: '跟进中', 意向金额: amount(r.Id) })));
    const t0 = await exportOf(B.options);
    const mineB = t0.links.filter((l) => l.connectionId === B.connectionId && l.remoteId);
    expect(mineB.length).toBe(N / 2 + 2);
    const lastRemote = t0.links.find((l) => l.customerId === last.customer.id && l.connectionId === B.connectionId)!.remoteId!;
    expect(Number(lastRemote)).toBe(Math.max(...rows.map((r) => Number(r.Id))));
    const applied = async () => {
      const t = await exportOf(B.options);
      return mineB.filter((l) => {
        const c = t.customers.find((x) => x.id === l.customerId);
        return c?.stage === '跟进中' && c.amount === amount(l.remoteId);
      }).map((l) => l.remoteId!);
    };
    expect(await applied()).toEqual([]);

    // Stop 1: while the first changes page is in flight.
    let held = B.proxy.holdNext((r) => isChangesRequest(r) && (r.search.get('offset') ?? '0') === '0');
    await firePullAlarm(B.e2e, PULL_MINUTES);
    let h = await held;
    await stopServiceWorker(B.e2e, B.options);
    await gone(h);
    h.release();
    expect(await applied()).toEqual([]);

    // Stop 2: page one (1,000 rows) applied, the second page in flight.
    held = B.proxy.holdNext((r) => isChangesRequest(r) && r.search.get('offset') === '1000');
    await firePullAlarm(B.e2e, PULL_MINUTES);
    h = await held;
    await stopServiceWorker(B.e2e, B.options);
    await gone(h);
    h.release();
    const partial = await applied();
    console.log(`[team] worker stopped on page 2: ${partial.length} of ${mineB.length} of B's customers applied`);
    expect(partial.length).toBeGreaterThan(0);
    expect(partial).not.toContain(lastRemote);

    // A later pull, in a fresh worker, reads from the stored watermark and applies every edit.
    const mark = await pull(B);
    await expect.poll(async () => (await applied()).length, { timeout: 60_000 }).toBe(mineB.length);
    console.log(`[team] the pull after the stops: ${changesSinceMark(B, mark)} changes pages`);
    const t = await exportOf(B.options);
    // Nothing here was edited on both sides: no conflict recorded by these pulls.
    for (const l of mineB) expect((t.links.find((x) => x.customerId === l.customerId && x.connectionId === B.connectionId)?.conflicts ?? []).filter((c) => c.at >= started)).toEqual([]);
    // Nothing went back to NocoDB for these (a colleague's edits are not Liaison's).
    expect(t.outbox.filter((e) => e.connectionId === B.connectionId && e.state !== 'done')).toEqual([]);
  });
});

describe('the pull on the real server, without a browser', () => {
  it('an edit made in the same second as the last read is not lost (NocoDB’s UpdatedAt is to the second)', async () => {
    const db = new LiaisonDb(`team-${crypto.randomUUID()}`);
    try {
      const connection = ctx.connection;
      await db.connections.put(connection);
      const adapter = adapterFor(connection);
      const deps = { db, connection, adapter, now: Date.now };
      const c = localCustomer({ name: '同秒客户', phones: ['+8613700001234'], stage: '新客户' });
      const ref = await adapter.createCustomer(c, { idempotencyKey: crypto.randomUUID() });
      await db.customers.put(c);
      await db.links.put(linkSchema.parse({ customerId: c.id, connectionId: LOCAL_CONNECTION_ID, remoteId: c.id, remoteCode: c.code, syncState: 'synced' }));
      await db.links.put(linkSchema.parse({ customerId: c.id, connectionId: connection.id, remoteId: ref.remoteId, syncState: 'synced', base: { name: '同秒客户', phones: ['+8613700001234'], stage: '新客户' } }));

      // Edit, read, edit again within the same second (retried until the two edits share one).
      let second = '';
      for (let attempt = 0; attempt < 10; attempt++) {
        await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 20));
        await patchRows([{ Id: Number(ref.remoteId), 客户阶段: '已联系' }]);
        await pullCustomer(deps, c.id);
        await patchRows([{ Id: Number(ref.remoteId), 客户阶段: '跟进中' }]);
        const r = await row(ref.remoteId);
        const link = await db.links.get([c.id, connection.id]);
        if (link?.marker === String(Date.parse(String(r.UpdatedAt).replace(' ', 'T')))) {
          second = String(r.UpdatedAt);
          break;
        }
      }
      expect(second, 'could not make two edits within one second').not.toBe('');
      expect((await db.customers.get(c.id))?.stage).toBe('已联系');

      // Both ways the background reads it back: the customer alone, and the periodic changes pull.
      await pullCustomer(deps, c.id);
      expect((await db.customers.get(c.id))?.stage, `the second edit (${second}) has the marker of the first`).toBe('跟进中');
      await patchRows([{ Id: Number(ref.remoteId), 客户阶段: '方案沟通' }]);
      await pullConnection(deps, { initialWindowMs: 60_000 });
      expect((await db.customers.get(c.id))?.stage).toBe('方案沟通');
    } finally {
      await db.delete();
    }
  });
});
