// Tell every open Liaison surface (sidebars in chat tabs, popup, options) that data changed,
// so they re-ask for what they show. Receivers that are gone are ignored.
import { browser } from 'wxt/browser';
import type { ChangeEvent } from '@/lib/messaging/protocol';

export async function broadcastChanged(tables: string[]): Promise<void> {
  const event: ChangeEvent = { liaison: 1, event: 'changed', tables, at: Date.now() };
  const quiet = () => undefined;
  await browser.runtime.sendMessage(event).catch(quiet);
  const tabs = await browser.tabs.query({});
  await Promise.all(tabs.map((tab) => (tab.id === undefined ? undefined : browser.tabs.sendMessage(tab.id, event).catch(quiet))));
}
