// Issue 3's fault test in the real browser: 200 customers syncing to Feishu Bitable (its
// emulator, served as https://open.feishu.cn through a local TLS proxy) while the extension's
// service worker is stopped through CDP at random moments, 50 times. Afterwards the emulator
// must hold every customer exactly once. `npm test` runs a shorter one (100 customers, 25 stops);
// `npm run test:faults` (run by .ci/run) the full 200 and 50.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchWithExtension, type LaunchedExtension } from '../../scripts/lib/chromium.mjs';
import { startFeishuEmulator, type FeishuEmulator } from '../emulators/feishu/index';
import { poll } from './harness';
import { proxyArgs, startTlsProxy, type TlsProxy } from './tls-proxy';

const CUSTOMERS = Number(process.env.FAULT_CUSTOMERS ?? 100);
const KILLS = Number(process.env.FAULT_KILLS ?? 25);

let emu: FeishuEmulator;
let proxy: TlsProxy;
let ext: LaunchedExtension;

beforeAll(async () => {
  emu = await startFeishuEmulator({ latencyMs: 20 });
  // TLS in front of the plain-HTTP emulator, so the extension talks to "https://open.feishu.cn" as in production.
  proxy = await startTlsProxy('open.feishu.cn', emu.url);
  ext = await launchWithExtension({ args: proxyArgs([proxy]) });
});
afterAll(async () => {
  await ext?.close();
  await proxy?.close();
  await emu?.close();
});

const send = (page: Page, type: string, payload: unknown) =>
  page.evaluate(([type, payload]) => chrome.runtime.sendMessage({ liaison: 1, type, payload }) as Promise<{ ok: boolean; data?: unknown; error?: { message: string } }>, [type, payload] as const);

it(`syncs ${CUSTOMERS} customers to Feishu Bitable through ${KILLS} service-worker stops: 0 lost, 0 duplicated`, async () => {
  const appToken = emu.control.createApp('联络 CRM');
  const options = await ext.context.newPage();
  await options.goto(ext.extensionUrl('options.html'));

  // Connect through the real form: test, save, then create the recommended tables.
  await options.locator('[data-testid="conn-add-feishu-bitable"]').click();
  const form = options.locator('[data-testid="connection-form"]');
  await form.locator('[data-testid="conn-field-app_id"]').fill(emu.appId);
  await form.locator('[data-testid="conn-field-app_secret"]').fill(emu.appSecret);
  await form.locator('[data-testid="conn-field-app_token"]').fill(appToken);
  await form.locator('[data-testid="conn-test"]').click();
  await form.locator('[data-testid="conn-test-ok"]').waitFor({ timeout: 20_000 });
  await form.locator('[data-testid="conn-save"]').click();
  const row = options.locator('[data-testid="connection"]', { hasText: /飞书|Feishu/ });
  await row.waitFor();
  await row.locator('[data-testid="conn-prepare"]').click();
  await expect.poll(() => row.locator('[data-testid="conn-prepared"]').innerText(), { timeout: 20_000 }).toContain('客户信息表');
  const customersTable = [...emu.state.apps.get(appToken)!.tables.values()].find((t) => t.name === '客户信息表')!;
  expect(customersTable).toBeDefined();

  // 200 customers created beside the chat would take a while by hand; the same message, from a page.
  for (let i = 0; i < CUSTOMERS; i += 25) {
    const batch = Array.from({ length: Math.min(25, CUSTOMERS - i) }, (_, k) => i + k);
    const replies = await Promise.all(batch.map((n) => send(options, 'customer.create', { fields: { name: `故障测试客户${n}`, phones: [`1390000${String(n).padStart(4, '0')}`] } })));
    expect(replies.every((r) => r.ok), JSON.stringify(replies.find((r) => !r.ok))).toBe(true);
  }

  // Stop the worker at random moments while it syncs; the next message starts a fresh one.
  const cdp = await ext.context.newCDPSession(options);
  await cdp.send('ServiceWorker.enable');
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const countDuringKills: number[] = [];
  for (let k = 0; k < KILLS; k++) {
    await new Promise((r) => setTimeout(r, 80 + random() * 400));
    await cdp.send('ServiceWorker.stopAllWorkers');
    countDuringKills.push(customersTable.records.size);
    await send(options, 'sync.health', {}); // wakes a new worker, which recovers the dead one's claims
  }

  await poll(() => Promise.resolve(customersTable.records.size), (n) => n >= CUSTOMERS, 180_000, 'all customers in the emulator');
  const health = await poll(
    async () => (await send(options, 'sync.health', {})).data as { connections: { queued: number; failed: number }[] },
    (h) => h.connections.every((c) => c.queued === 0),
    120_000,
    'an empty queue',
  );
  const records = [...customersTable.records.values()];
  const phones = records.map((r) => String(r.fields['电话'] ?? ''));
  // 客户ID is the Bitable's auto number in the recommended table (the team's codes): the emulator computes it.
  const codes = records.map((r) => String(r.auto['客户ID']?.text ?? r.fields['客户ID'] ?? ''));
  console.log(
    `fault test: ${KILLS} worker stops; customers in the emulator when stopped: ${countDuringKills.slice(0, 10).join(',')}…; ` +
      `records ${records.length}, unique phones ${new Set(phones).size}, unique codes ${new Set(codes).size}, failed ${health.connections[0]?.failed}`,
  );
  expect(records).toHaveLength(CUSTOMERS);
  expect(new Set(phones).size).toBe(CUSTOMERS);
  expect(codes.filter(Boolean)).toHaveLength(CUSTOMERS);
  expect(new Set(codes).size).toBe(CUSTOMERS);
  expect(health.connections[0]?.failed).toBe(0);
  // The stops really happened mid-sync, not after it.
  expect(countDuringKills.filter((n) => n > 0 && n < CUSTOMERS).length).toBeGreaterThan(KILLS / 2);
  // 78 s for 100 customers and 25 stops beside the rest of npm test at load 11, over 120 s at load
  // 20: the limit scales with the run's size (225 s here, 450 s for test:faults' 200 and 50).
}, Math.max(120_000, CUSTOMERS * 1_500 + KILLS * 3_000));
