// Tell every open Liaison page (the sidebars framed in chat tabs, popup, options) that data
// changed, so they re-ask for what they show. Runtime messages reach extension pages only, never
// content scripts: a chat page learns nothing from them. Receivers that are gone are ignored.
import { browser } from 'wxt/browser';
import type { ChangeEvent } from '@/lib/messaging/protocol';

export async function broadcastChanged(tables: string[]): Promise<void> {
  const event: ChangeEvent = { liaison: 1, event: 'changed', tables, at: Date.now() };
  await browser.runtime.sendMessage(event).catch(() => undefined);
}
