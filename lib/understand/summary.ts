// An extractive summary that needs no network: the key sentences of the conversation, by
// signal weight, within seed 003's 50 字 (a short sentence for English). Lengths count code
// points, so an emoji or a rare character is never cut in half, and cuts back off to a
// clause break or a word boundary.
import type { Rules } from './rules';
import { isMostlyChinese, normalize } from './normalize';

export interface SummaryItem {
  raw: string;
  /** How much this message matters (signals found); 0 skips it. */
  weight: number;
  /** Normalized evidence terms: the sentences holding them are the ones to keep. */
  keys: readonly string[];
}

const SENTENCES = /[^。！？!?；;\n]+[。！？!?；;]*|[\n]+/gu;
const EMOJI = /[\p{Extended_Pictographic}\u200d\ufe0f]/gu;
const TRAIL = /[\s。！？!?；;，,、.~～…]+$/u;

function sentences(raw: string): string[] {
  const out: string[] = [];
  for (const m of raw.replace(EMOJI, '').matchAll(SENTENCES)) {
    // English sentences end with ". "; split those too.
    for (const s of m[0].split(/(?<=[a-z0-9)][.])\s+(?=[A-Za-z])/u)) {
      const t = s.replace(TRAIL, '').trim();
      if (t) out.push(t);
    }
  }
  return out;
}

const len = (s: string): number => Array.from(s).length;

/** Cut to `max` code points with an ellipsis, at a clause break or at least not mid-word. */
export function clip(s: string, max: number): string {
  const cps = Array.from(s);
  if (cps.length <= max) return s;
  const room = max - 1;
  let cut = room;
  for (let i = room; i > Math.floor(room * 0.6); i--) {
    if (/[，,、;；:：\s]/u.test(cps[i] ?? '')) {
      cut = i;
      break;
    }
  }
  if (cut === room) {
    // Do not split 500000 or "quotation".
    while (cut > 1 && /[a-z0-9.,]/iu.test(cps[cut - 1] ?? '') && /[a-z0-9.,]/iu.test(cps[cut] ?? '')) cut--;
  }
  return cps.slice(0, cut).join('').replace(TRAIL, '') + '…';
}

export function summarize(items: readonly SummaryItem[], rules: Rules): string {
  interface Cand {
    text: string;
    score: number;
    order: number;
  }
  const cands: Cand[] = [];
  let order = 0;
  items.forEach((item, idx) => {
    if (item.weight <= 0) return;
    const ss = sentences(item.raw);
    const keyed = ss.filter((s) => {
      const n = normalize(s);
      return item.keys.some((k) => n.includes(k));
    });
    // Later messages are a little more relevant: the conversation's current state.
    const recency = idx / Math.max(1, items.length) / 10;
    for (const s of keyed.length ? keyed : ss.slice(0, 1)) cands.push({ text: s, score: item.weight + recency, order: order++ });
  });
  if (!cands.length) return '';

  const byScore = [...cands].sort((a, b) => b.score - a.score || b.order - a.order);
  const zh = isMostlyChinese(byScore.slice(0, 3).map((c) => c.text).join(''));
  const max = zh ? rules.summary.maxZh : rules.summary.maxEn;
  const sep = zh ? '；' : '; ';

  const picked: Cand[] = [];
  const seen = new Set<string>();
  let used = 0;
  for (const c of byScore) {
    if (seen.has(c.text)) continue;
    const add = len(c.text) + (picked.length ? len(sep) : 0);
    if (used + add > max) continue;
    picked.push(c);
    seen.add(c.text);
    used += add;
  }
  if (!picked.length) return clip(byScore[0]!.text, max);
  return picked
    .sort((a, b) => a.order - b.order)
    .map((c) => c.text)
    .join(sep);
}
