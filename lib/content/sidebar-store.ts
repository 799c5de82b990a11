// The sidebar's state in a chat tab: which conversation is open, what the background says
// about it, and how well the page could be read. A tiny observable, so the host (reader +
// messaging) and the Preact tree share one source of truth.
import type { CustomerView, ReaderHealth } from '../model';

export interface SidebarState {
  conv: { site: string; threadKey: string } | null;
  view: CustomerView | null;
  health: ReaderHealth | null;
  collapsed: boolean;
  /** The last request failure (e.g. the extension was reloaded). */
  error: string | null;
}

export function createSidebarStore(initial: SidebarState) {
  let state = initial;
  const listeners = new Set<(s: SidebarState) => void>();
  return {
    get: () => state,
    set(patch: Partial<SidebarState>) {
      state = { ...state, ...patch };
      for (const l of listeners) l(state);
    },
    subscribe(l: (s: SidebarState) => void) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}
export type SidebarStore = ReturnType<typeof createSidebarStore>;
