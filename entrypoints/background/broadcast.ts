// Tell every open Liaison page (the sidebars framed in chat tabs, popup, options) that data
// changed, so they re-ask for what they show. Runtime messages reach extension pages only, never
// content scripts: a chat page learns nothing from them. Receivers that are gone are ignored.
//
// Firefox gives an extension page framed in a web page only a content script's API (by design:
// w3c/webextensions#35), and runtime messages do not reach it: the sidebars there are told by
// tabs.sendMessage to their own frame, which no content script listens on for these events.
import { browser } from 'wxt/browser';
import type { ChangeEvent, TabEvent } from '@/lib/messaging/protocol';

type SidebarFrames = () => { tabId: number; frameId: number }[];
let sidebarFrames: SidebarFrames = () => [];

/** Where the framed sidebars are (Firefox only needs it). */
export function setSidebarFrames(fn: SidebarFrames): void {
  sidebarFrames = fn;
}

const quiet = () => undefined;

async function toFramedSidebars(event: ChangeEvent | TabEvent, only?: number): Promise<void> {
  if (!import.meta.env.FIREFOX) return;
  const frames = sidebarFrames().filter((f) => only === undefined || f.tabId === only);
  await Promise.all(frames.map((f) => browser.tabs.sendMessage(f.tabId, event, { frameId: f.frameId }).catch(quiet)));
}

let changes = 0;

/** How many changes this worker has broadcast: a view read before the count moved may be stale. */
export function changesBroadcast(): number {
  return changes;
}

export async function broadcastChanged(tables: string[]): Promise<void> {
  changes += 1;
  const event: ChangeEvent = { liaison: 1, event: 'changed', tables, at: Date.now() };
  await browser.runtime.sendMessage(event).catch(quiet);
  await toFramedSidebars(event);
}

/** A chat tab's content script reported: its sidebar re-reads. */
export async function broadcastTab(tabId: number, seq: number, state?: TabEvent['state']): Promise<void> {
  const event: TabEvent = { liaison: 1, event: 'tab', tabId, seq, ...(state ? { state } : {}) };
  await browser.runtime.sendMessage(event).catch(quiet);
  await toFramedSidebars(event, tabId);
}
