// Makes room for the sidebar by shrinking the site's own app container, so the sidebar never
// covers the chat list or the composer. Restored on teardown.
import type { SiteReader } from '../readers/types';

export const SIDEBAR_WIDTH = 340;
export const COLLAPSED_WIDTH = 36;

export function createDock(doc: Document, reader: SiteReader) {
  let el: HTMLElement | null = null;
  let saved: string | null = null;
  const find = () => {
    for (const css of reader.layout.container) {
      const found = doc.querySelector<HTMLElement>(css);
      if (found) return found;
    }
    return null;
  };
  return {
    apply(collapsed: boolean) {
      const target = find();
      if (!target) return;
      if (target !== el) {
        this.release();
        el = target;
        saved = target.style.getPropertyValue('margin-right');
      }
      target.style.setProperty('margin-right', `${collapsed ? COLLAPSED_WIDTH : SIDEBAR_WIDTH}px`, 'important');
    },
    release() {
      if (el) {
        if (saved) el.style.setProperty('margin-right', saved);
        else el.style.removeProperty('margin-right');
      }
      el = null;
      saved = null;
    },
  };
}
