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

export interface LongTasks {
  rows: number;
  /** the longest single reader task (an observer callback, or a read) in each step, ms */
  steps: { step: string; maxMs: number }[];
  /** long tasks (≥ 50 ms, the browser's own PerformanceObserver 'longtask') that began with a reader task */
  longTasks: number[];
  /** the other long tasks seen meanwhile: the page's own (delivering and laying out messages) */
  pageLongTasks: number;
  isolated: boolean;
}

/**
 * The open chat grown to `total` rows by cloning its own rows with fresh ids (the demo's generator
 * is served at 5,000), then a fresh reader's tasks timed one by one: the first read, messages one
 * at a time, a burst appended at once, older history inserted above, an edit in an old row.
 */
async function longTasks(threadId: string, total: number): Promise<LongTasks> {
  const demo = (window as unknown as { demoChat: DemoChat }).demoChat;
  const list = document.querySelector('.msg-list')!;
  const rows = Array.from(list.querySelectorAll('.msg[data-msg-id]'));
  let n = 0;
  const clone = (src: Element) => {
    const c = src.cloneNode(true) as Element;
    c.setAttribute('data-msg-id', `${threadId}-grown-${++n}`);
    return c;
  };
  const frag = document.createDocumentFragment();
  for (let i = rows.length; i < total; i++) frag.append(clone(rows[i % rows.length]!));
  list.prepend(frag);
  const inPage = list.querySelectorAll('.msg[data-msg-id]').length;
  await new Promise((ok) => setTimeout(ok, 50));

  const spans: [number, number][] = [];
  const seen: PerformanceEntry[] = [];
  const po = new PerformanceObserver((l) => void seen.push(...l.getEntries()));
  try {
    po.observe({ type: 'longtask', buffered: false });
  } catch {
    /* no longtask timing: only the reader's own task times are reported */
  }
  const ac = new AbortController();
  let snap: ReaderSnapshot | undefined;
  const steps: { step: string; maxMs: number }[] = [];
  const timedRead = (r: { readNow(): void }) => {
    const t0 = performance.now();
    r.readNow();
    const t1 = performance.now();
    spans.push([t0, t1]);
    return t1 - t0;
  };
  const t0 = performance.now();
  const timed = withTimedObserver(() => startReader(demoReader, { doc: document, signal: ac.signal, onSnapshot: (s) => (snap = s) }));
  const running = timed.value;
  running.readNow();
  const first = performance.now() - t0;
  spans.push([t0, t0 + first]);
  steps.push({ step: 'first read (fresh reader)', maxMs: first });
  /** Runs `change`, lets the observer's callback run, then performs the read it scheduled. */
  const one = async (change: () => void) => {
    // The change in a task of its own: the page's work is not merged into the last read's task.
    await new Promise((ok) => setTimeout(ok, 0));
    change();
    timed.reset();
    await new Promise((ok) => setTimeout(ok, 0));
    const obs = timed.observerMs();
    return Math.max(obs, timedRead(running));
  };
  let max = 0;
  for (let i = 0; i < 100; i++) max = Math.max(max, await one(() => void demo.deliver(threadId, `long-task bench ${i}`)));
  steps.push({ step: '100 messages, one at a time', maxMs: max });
  const last = () => list.querySelector('.msg[data-msg-id]:last-of-type') ?? rows[rows.length - 1]!;
  steps.push({ step: '500 messages appended at once', maxMs: await one(() => list.append(...Array.from({ length: 500 }, () => clone(last())))) });
  steps.push({ step: '1,000 older messages inserted above', maxMs: await one(() => list.prepend(...Array.from({ length: 1000 }, (_, i) => clone(rows[i % rows.length]!)))) });
  steps.push({ step: 'an old message edited', maxMs: await one(() => void (list.querySelectorAll('.msg-text')[100]!.textContent = 'edited (bench)')) });
  ac.abort();
  po.disconnect();
  if (!snap?.conversation?.messages.length) throw new Error('the reader produced no conversation on the grown chat');
  // A read runs in its own task (a timer's); a long task that began before it is the page's own
  // work (the demo rendering and laying out a message in a 20,000-row list), reported apart.
  const reader = seen.filter((e) => spans.some(([a, b]) => e.startTime >= a - 1 && e.startTime <= b)).map((e) => e.duration);
  return { rows: inPage, steps, longTasks: reader, pageLongTasks: seen.length - reader.length, isolated: globalThis.crossOriginIsolated === true };
}

(window as unknown as { __readerBench: unknown }).__readerBench = { firstRead, perMessage, longTasks };
