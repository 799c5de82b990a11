// Runs in Chromium on the demo chat (served on the bench host, where no content script runs):
// the project's reader runtime + demo site reader, bundled by esbuild, timed with
// performance.now. Exposed as window.__readerBench for bench/reader.ts.
import { startReader, type ReaderSnapshot } from '../../lib/readers/runtime';
import { demoReader } from '../../lib/readers/sites/demo';

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
  // Time the reader's own MutationObserver callback: the runtime takes the constructor from
  // the page's window when it starts, so a timing subclass installed first sees every call.
  const Original = window.MutationObserver;
  let observerMs = 0;
  class Timed extends Original {
    constructor(cb: MutationCallback) {
      super((records, obs) => {
        const t = performance.now();
        try {
          cb(records, obs);
        } finally {
          observerMs += performance.now() - t;
        }
      });
    }
  }
  window.MutationObserver = Timed;
  const ac = new AbortController();
  let snap: ReaderSnapshot | undefined;
  let reader;
  try {
    reader = startReader(demoReader, { doc: document, signal: ac.signal, onSnapshot: (s) => (snap = s), ...(maxMessages ? { maxMessages } : {}) });
  } finally {
    window.MutationObserver = Original;
  }
  reader.readNow(); // the first read is measured elsewhere; this one fills the row cache
  const costs: number[] = [];
  const obs: number[] = [];
  const reads: number[] = [];
  let lastTextOk = true;
  for (let i = 0; i < count; i++) {
    const text = `新消息 ${i + 1}：利率能再低一点吗？ (bench)`;
    demo.deliver(threadId, text);
    observerMs = 0;
    // Let the observer callback run (it is queued behind this task); it schedules the
    // debounced read, which readNow below performs at once (and cancels the timer), so each
    // message costs exactly one callback + one read, as in production.
    await new Promise((ok) => setTimeout(ok, 0));
    const t0 = performance.now();
    reader.readNow();
    const read = performance.now() - t0;
    obs.push(observerMs);
    reads.push(read);
    costs.push(observerMs + read);
    const msgs = snap?.conversation?.messages ?? [];
    if (msgs[msgs.length - 1]?.text !== text) lastTextOk = false;
  }
  ac.abort();
  return { costs, observerMs: obs, readMs: reads, messages: snap?.conversation?.messages.length ?? 0, lastTextOk };
}

(window as unknown as { __readerBench: unknown }).__readerBench = { firstRead, perMessage };
