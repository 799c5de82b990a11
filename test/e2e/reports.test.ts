// Issue 8 in the real browser: import a messy .xlsx through the wizard (merged title row, phones
// stored as numbers, full-width digits, a duplicate, an invalid phone) and see the report count
// exactly what was imported, with its charts drawn and their numbers beside them.
import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startE2E, type E2E } from './harness';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.stop();
});

it('imports a messy spreadsheet and the report shows it', async () => {
  const options = await e2e.context.newPage();
  await options.goto(e2e.extensionUrl('options.html'));
  const wizard = options.locator('[data-testid="import-wizard"]');
  await wizard.locator('[data-testid="import-file"]').setInputFiles(resolve(import.meta.dirname, '../fixtures/sheets/leads-messy.xlsx'));
  await wizard.locator('[data-testid="import-preview"]').waitFor();
  // Chinese headers were recognised: 客户名称 → name, 手机号 → phones.
  expect(await wizard.locator('[data-testid="map-0"]').inputValue()).toBe('name');
  expect(await wizard.locator('[data-testid="map-1"]').inputValue()).toBe('phones');
  await wizard.locator('[data-testid="import-plan"]').click();
  await wizard.locator('[data-testid="import-plan-summary"]').waitFor();
  await wizard.locator('[data-testid="import-apply"]').click();
  const report = wizard.locator('[data-testid="import-report"]');
  await report.waitFor({ timeout: 20_000 });
  const created = Number((await report.locator('[data-testid="count-created"] dd').innerText()).trim());
  const skipped = Number((await report.locator('[data-testid="count-skipped"] dd').innerText()).trim());
  expect(created).toBeGreaterThanOrEqual(4);
  expect(skipped).toBeGreaterThanOrEqual(2); // the duplicate 张三 and the invalid phone at least
  const reasons = await wizard.locator('[data-testid="import-issue"]').allInnerTexts();
  expect(reasons.join('\n')).toMatch(/12345|无效|invalid/i);

  // This week's report counts the imported customers as new, and draws its charts.
  const view = options.locator('[data-testid="report-view"]');
  await expect.poll(async () => Number((await view.locator('[data-testid="headline-new"]').innerText()).replace(/\D+/g, ''))).toBe(created);
  const canvas = view.locator('[data-testid="chart-canvas"]').first();
  const box = await canvas.boundingBox();
  expect(box && box.width > 50 && box.height > 50).toBe(true);
  // Chart.js drew something: the canvas is not blank.
  const painted = await canvas.evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
    return n;
  });
  expect(painted).toBeGreaterThan(100);
  expect(await view.locator('[data-testid="chart-table"]').first().innerText()).toMatch(/\d/);

  // The customer list shows them, and undo takes the import back.
  await expect.poll(() => options.locator('[data-testid="customer-row"]').count()).toBe(created);
  await wizard.locator('[data-testid="import-undo"]').click();
  await wizard.locator('[data-testid="import-undone"]').waitFor();
  await expect.poll(async () => Number((await view.locator('[data-testid="headline-new"]').innerText()).replace(/\D+/g, ''))).toBe(0);
});
