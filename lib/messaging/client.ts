// The UIs' and content scripts' side of the protocol. Type-only imports from protocol.ts keep
// zod out of the content-script bundle; the background validates everything anyway.
import { browser } from 'wxt/browser';
import type { ChangeEvent, ErrorCode, MessageType, Reply, RequestOf, ResponseOf, TabEvent } from './protocol';

export class RequestFailed extends Error {
  constructor(
    readonly code: ErrorCode | 'unreachable',
    message: string,
  ) {
    super(message);
    this.name = 'RequestFailed';
  }
}

export async function send<T extends MessageType>(type: T, payload: RequestOf<T>): Promise<ResponseOf<T>> {
  let reply: Reply<T> | undefined;
  try {
    reply = (await browser.runtime.sendMessage({ liaison: 1, type, payload })) as Reply<T> | undefined;
  } catch (err) {
    // The extension was reloaded or the worker could not start: the page must say so, not hang.
    throw new RequestFailed('unreachable', err instanceof Error ? err.message : String(err));
  }
  if (!reply) throw new RequestFailed('unreachable', `no answer to ${type}`);
  if (!reply.ok) throw new RequestFailed(reply.error.code, reply.error.message);
  return reply.data;
}

/** Calls back on every data change the background announces. Returns the unsubscribe function. */
export function onChanged(callback: (e: ChangeEvent) => void): () => void {
  const listener = (message: unknown) => {
    const m = message as Partial<ChangeEvent> | undefined;
    if (m?.liaison === 1 && m.event === 'changed') callback(m as ChangeEvent);
  };
  browser.runtime.onMessage.addListener(listener);
  return () => browser.runtime.onMessage.removeListener(listener);
}

/** Calls back when a chat tab's content script reported (the sidebar page of that tab re-reads). */
export function onTabEvent(callback: (e: TabEvent) => void): () => void {
  const listener = (message: unknown) => {
    const m = message as Partial<TabEvent> | undefined;
    if (m?.liaison === 1 && m.event === 'tab' && typeof m.tabId === 'number' && typeof m.seq === 'number') callback(m as TabEvent);
  };
  browser.runtime.onMessage.addListener(listener);
  return () => browser.runtime.onMessage.removeListener(listener);
}
