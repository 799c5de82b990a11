// Runs inside the sidebar's frame: the extension page sidebar.html that the demo chat's content
// script frames in a closed shadow root. The chat page cannot see into it (by design), so
// bench/sidebar.ts evaluates this bundle in the frame itself with Playwright (frame.evaluate over
// CDP, which the extension page's CSP does not govern). Before each switch the bench arms it with
// the state the sidebar must reach; a MutationObserver on the frame's document then notes the
// moment its DOM first shows the expected 客户编号 (or, for a contact with no customer, the
// unknown-contact card with the contact's name and no code).
//
// Times are epoch milliseconds, performance.timeOrigin + performance.now(), the same clock the
// chat page uses for the switch: both are the system's clock (timeOrigin is the wall-clock time
// of each document's start, now() the monotonic time since), so the two frames, in different
// processes, can be compared. bench/sidebar.ts checks their agreement once against Date.now().
// Exposed as window.__sidebarProbe.

export interface Expected {
  code?: string;
  name?: string;
}

export interface ClockSample {
  /** performance.timeOrigin + performance.now() */
  epoch: number;
  /** Date.now() at the same moment */
  date: number;
}

interface Armed {
  done: Promise<number | 'already'>;
  cancel(): void;
}

const epochNow = () => performance.timeOrigin + performance.now();

function shows(doc: Document, e: Expected): boolean {
  const code = doc.querySelector('[data-testid="customer-code"]')?.textContent?.trim();
  if (e.code) return code === e.code;
  return code === undefined && doc.querySelector('[data-testid="identity-name"]')?.textContent?.trim() === e.name;
}

let armed: Armed | undefined;

/**
 * When the background's 'tab' events reached this frame (the sidebar page reads its state on
 * each): splits a switch into "until the background told the sidebar" and "the sidebar asking
 * for its state and rendering it". Listening changes nothing for the page's own listener.
 */
const tabEvents: number[] = [];
const runtime = (globalThis as unknown as { chrome?: { runtime?: { onMessage?: { addListener(f: (m: unknown) => void): void } } } }).chrome?.runtime;
runtime?.onMessage?.addListener((m) => {
  const e = m as { liaison?: unknown; event?: unknown };
  if (e?.liaison === 1 && e.event === 'tab') tabEvents.push(epochNow());
});

/** Start watching for `expected`, before the page switches. */
function arm(expected: Expected, timeoutMs: number): void {
  armed?.cancel();
  tabEvents.length = 0;
  let cancel = () => {};
  const done = new Promise<number | 'already'>((resolve, reject) => {
    // Already right before the switch: only if the previous chat showed the same state, which
    // the bench's sequence never asks for; reported, never timed.
    if (shows(document, expected)) return resolve('already');
    const mo = new MutationObserver(() => {
      if (!shows(document, expected)) return;
      const t = epochNow();
      stop();
      resolve(t);
    });
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`the sidebar did not show ${JSON.stringify(expected)} within ${timeoutMs} ms`));
    }, timeoutMs);
    const stop = () => {
      mo.disconnect();
      clearTimeout(timer);
    };
    cancel = stop;
    mo.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  armed = { done, cancel: () => cancel() };
}

export interface Shown {
  /** when the armed state was first shown (epoch ms), or 'already' */
  at: number | 'already';
  /** the last 'tab' event that reached the frame before that, if any (epoch ms) */
  tabEventAt?: number;
}

/** When the armed state was first shown, and the tab event it followed. */
async function shown(): Promise<Shown> {
  if (!armed) throw new Error('the probe was not armed');
  const { done } = armed;
  armed = undefined;
  const at = await done;
  const before = at === 'already' ? [] : tabEvents.filter((t) => t <= at);
  tabEvents.length = 0;
  const tabEventAt = before[before.length - 1];
  return tabEventAt === undefined ? { at } : { at, tabEventAt };
}

function clock(): ClockSample {
  return { epoch: epochNow(), date: Date.now() };
}

(window as unknown as { __sidebarProbe: unknown }).__sidebarProbe = { arm, shown, clock };
