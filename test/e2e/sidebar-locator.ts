// The sidebar in a browser test. It is an extension page framed in a closed shadow root on the
// chat page, which Playwright's selectors cannot enter (on purpose: nor can the page's scripts),
// so it is found as a frame by its address. The locator is lazy: every action looks the frame up
// again, so it keeps working when the frame is loaded late or re-created (an SPA leaving and
// re-entering its chat route).
import type { Frame, Locator, Page } from 'playwright-core';

const SIDEBAR_PAGE = '/sidebar.html';
/** Locator methods that return another locator: chained lazily. */
const CHAIN = new Set(['locator', 'first', 'last', 'nth', 'filter', 'getByTestId', 'getByText', 'getByRole', 'getByLabel', 'getByPlaceholder', 'getByTitle']);

/** An extension page at /sidebar.html (any frame address may be empty or not a URL yet). */
export function isSidebarUrl(url: string): boolean {
  return /^(chrome|moz)-extension:\/\/[^/]+\/sidebar\.html(?:[?#]|$)/.test(url);
}

/** The sidebar page's frame in this tab, if it is there. */
export function sidebarFrame(page: Page): Frame | undefined {
  return page.frames().find((f) => !f.isDetached() && isSidebarUrl(f.url()));
}

type Step = { method: string; args: unknown[] };

function resolve(page: Page, steps: Step[]): Locator | undefined {
  const frame = sidebarFrame(page);
  if (!frame) return undefined;
  let l: Locator = frame.locator('[data-testid="liaison-sidebar"]');
  for (const s of steps) l = (l as unknown as Record<string, (...a: unknown[]) => Locator>)[s.method]!(...s.args);
  return l;
}

function lazy(page: Page, steps: Step[]): Locator {
  return new Proxy({} as Locator, {
    get(_target, prop) {
      if (typeof prop !== 'string' || prop === 'then') return undefined;
      if (CHAIN.has(prop)) return (...args: unknown[]) => lazy(page, [...steps, { method: prop, args }]);
      if (prop === 'waitFor') {
        return async (opts: { state?: string; timeout?: number } = {}) => {
          const end = Date.now() + (opts.timeout ?? 30_000);
          for (;;) {
            const l = resolve(page, steps);
            if (l) return l.waitFor({ ...opts, timeout: Math.max(1, end - Date.now()) } as never);
            // No frame is as good as no element for a wait on it to disappear.
            if (opts.state === 'detached' || opts.state === 'hidden') return;
            if (Date.now() > end) throw new Error(`the sidebar frame (${SIDEBAR_PAGE}) did not appear within ${opts.timeout ?? 30_000} ms`);
            await new Promise((r) => setTimeout(r, 100));
          }
        };
      }
      if (prop === 'count') {
        return async () => {
          const l = resolve(page, steps);
          return l ? l.count() : 0;
        };
      }
      return (...args: unknown[]) => {
        const l = resolve(page, steps);
        if (!l) throw new Error(`the sidebar frame (${SIDEBAR_PAGE}) is not on the page`);
        return (l as unknown as Record<string, (...a: unknown[]) => unknown>)[prop]!(...args);
      };
    },
  });
}

/** The sidebar's root element (`[data-testid="liaison-sidebar"]`) inside its frame. */
export function sidebar(page: Page): Locator {
  return lazy(page, []);
}
