// Message understanding in real Chromium on the demo chat: a known customer asks for a quote,
// the sidebar suggests a deal, one click creates it and the deals list shows it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openDemoChat, startE2E, type E2E } from './harness';
import { sidebar } from './sidebar-locator';

const ZHANG_WEI = 'u_8613800138000';

let e2e: E2E;
let chat: Page;
/** The worker's console from before the first conversation: the model's weights load then. */
const workerConsole: string[] = [];

beforeAll(async () => {
  e2e = await startE2E();
  (await e2e.worker()).on('console', (m) => workerConsole.push(`${m.type()}: ${m.text()}`));
  chat = await openDemoChat(e2e, ZHANG_WEI);
});
afterAll(async () => {
  await e2e?.stop();
});


describe('suggestions on the demo chat', () => {
  it('suggests a deal when the customer asks for a quote, and accepting it creates the deal', async () => {
    await sidebar(chat).locator('[data-testid="create-submit"]').click();
    await sidebar(chat).locator('[data-testid="customer-code"]').waitFor();
    expect(await sidebar(chat).locator('[data-testid="deal-item"]').count()).toBe(0);

    await chat.evaluate(
      ([id, text]) => (window as unknown as { demoChat: { deliver(id: string, text: string): string } }).demoChat.deliver(id!, text!),
      [ZHANG_WEI, '你好，想了解一下经营贷，50万的话利率多少？'],
    );
    const deal = sidebar(chat).locator('[data-testid="suggestion"][data-kind="deal"]');
    await deal.waitFor({ timeout: 15_000 });
    expect(await deal.innerText()).toContain('经营贷');

    await deal.locator('[data-testid="suggestion-accept"]').click();
    await expect.poll(() => sidebar(chat).locator('[data-testid="deal-item"]').count()).toBe(1);
    expect(await sidebar(chat).locator('[data-testid="deal-item"]').innerText()).toContain('经营贷');
    // Accepted: the suggestion is gone (an open deal for the product answers it).
    await expect.poll(() => sidebar(chat).locator('[data-testid="suggestion"][data-kind="deal"]').count()).toBe(0);
  });

  it("the worker loaded the model's packaged weights (the rules alone would suggest this deal too)", () => {
    // lib/suggest/engine.ts warns and falls back to the rules when model-weights.json cannot be
    // fetched or is refused by lib/understand/model/weights-format.ts.
    expect(workerConsole.filter((l) => l.includes('understanding model not loaded'))).toEqual([]);
  });
});
