// Runs in Chromium on the demo chat (served on the bench host, where no content script runs):
// the project's reader runtime + demo site reader, bundled by esbuild, timed with
// performance.now. Exposed as window.__readerBench for bench/reader.ts.
import { startReader, type ReaderSnapshot } from '../../lib/readers/runtime';
import { demoReader } from '../../lib/readers/sites/demo';
import { timeMessages, withTimedObserver } from './timed-reader';

interface DemoChat {
  deliver(threadId: string, text: string, sender?: string): string;
}

export interface FirstRead {
  ms: number;
  /** performance.now is only fine-grained (5 µs, not 100 µs) in a cross-origin-isolated page. */
  isolated: boolean;
  messages: number;
  rowsInPage: number;
}

export interface PerMessage {
  /** Reader work per delivered message: its MutationObserver callback + the read it schedules. */
  costs: number[];
  observerMs: number[];
  readMs: number[];
  messages: number;
  lastTextOk: boolean;
}

/** A fresh reader (empty row cache) reading the open conversation once, synchronously. */
function firstRead(): FirstRead {
  const ac = new AbortController();
  let snap: ReaderSnapshot | undefined;
  const t0 = performance.now();
  const r = startReader(demoReader, { doc: document, signal: ac.signal, onSnapshot: (s) => (snap = s) });
  r.readNow();
  const ms = performance.now() - t0;
  ac.abort();
  if (!snap?.conversation) throw new Error('the reader produced no conversation');
  return { ms, isolated: globalThis.crossOriginIsolated === true, messages: snap.conversation.messages.length, rowsInPage: document.querySelectorAll('.msg[data-msg-id]').length };
}

async function perMessage(threadId: string, count: number, maxMessages?: number): Promise<PerMessage> {
  const demo = (window as unknown as { demoChat: DemoChat }).demoChat;
  const ac = new AbortController();
  let snap: ReaderSnapshot | undefined;
  const timed = withTimedObserver(() =>
    startReader(demoReader, { doc: document, signal: ac.signal, onSnapshot: (s) => (snap = s), ...(maxMessages ? { maxMessages } : {}) }),
  );
  const reader = timed.value;
  reader.readNow(); // the first read is measured elsewhere; this one fills the row cache
  let lastTextOk = true;
  const text = (i: number) => `新消息 ${i + 1}：利率能再低一点吗？ (bench)`;
  const times = await timeMessages(
    reader,
    timed,
    count,
    (i) => void demo.deliver(threadId, text(i)),
    (i) => {
      const msgs = snap?.conversation?.messages ?? [];
      if (msgs[msgs.length - 1]?.text !== text(i)) lastTextOk = false;
    },
  );
  ac.abort();
  return { ...times, messages: snap?.conversation?.messages.length ?? 0, lastTextOk };
}

(window as unknown as { __readerBench: unknown }).__readerBench = { firstRead, perMessage };
