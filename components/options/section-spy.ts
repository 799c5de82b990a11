// Which section of the options page the nav marks as the one being read: the last section whose
// top has passed the top of the window (the nav is sticky beside one long page), the first at
// the top of the page, the last at its bottom (a short last section never reaches the top).
// Before, the mark started on 客户编号 (once the first section, now the twelfth) and moved only
// on a click, so the page opened on CRM 连接 with 客户编号 marked.
import { useEffect, useRef, useState } from 'preact/hooks';

/** How far below the window's top a section's heading still counts as reached (px). */
const REACHED_PX = 96;
/** After a click, the smooth scroll's own scroll events do not move the mark (ms). */
const CLICK_HOLD_MS = 1000;

const sectionEl = (id: string) => document.getElementById(`lzo-${id}`);

/** The id among `ids` being read now, by position on the page (not by nav order). */
export function sectionInView<Id extends string>(ids: readonly Id[]): Id | undefined {
  const placed = ids.flatMap((id) => {
    const el = sectionEl(id);
    return el ? [{ id, top: el.getBoundingClientRect().top }] : [];
  });
  if (placed.length === 0) return undefined;
  placed.sort((a, b) => a.top - b.top);
  const doc = document.documentElement;
  if (doc.scrollHeight > window.innerHeight && window.scrollY + window.innerHeight >= doc.scrollHeight - 2) return placed.at(-1)!.id;
  const reached = placed.filter((p) => p.top <= REACHED_PX);
  return (reached.at(-1) ?? placed[0]!).id;
}

/** The section a link opened (options.html#lzo-reports, from the weekly report's notification). */
function fromHash<Id extends string>(ids: readonly Id[]): Id | undefined {
  const m = /^#lzo-(.+)$/.exec(window.location.hash);
  return ids.find((id) => id === m?.[1]);
}

/** The nav's mark and a go-to for its links: follows scrolling; a click marks its target at once. */
export function useSectionSpy<Id extends string>(ids: readonly Id[]): [Id | undefined, (id: Id) => void] {
  const [active, setActive] = useState<Id | undefined>(() => fromHash(ids) ?? ids[0]);
  const clickedAt = useRef(0);
  const key = ids.join(',');
  useEffect(() => {
    const onScroll = () => {
      if (Date.now() - clickedAt.current < CLICK_HOLD_MS) return;
      const id = sectionInView(ids);
      if (id) setActive(id);
    };
    // No look on mounting: the page opens at its top, or at the section its address names (the
    // browser's own scroll to it then fires a scroll event).
    window.addEventListener('scroll', onScroll, { passive: true });
    return () => window.removeEventListener('scroll', onScroll);
    // ids are read through their joined key: a new array with the same ids is the same list.
  }, [key]);
  const go = (id: Id) => {
    clickedAt.current = Date.now();
    setActive(id);
    const el = sectionEl(id);
    if (el && typeof el.scrollIntoView === 'function') el.scrollIntoView({ behavior: 'smooth', block: 'start' });
  };
  return [active, go];
}
