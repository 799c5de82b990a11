// Noise: messages that carry nothing worth a follow-up record (在吗, 你好, 好的, 嗯, 👍, hi,
// thanks). Seed 003 drops messages shorter than min_message_length (10) and those with its
// excluded_keywords; taken literally that would drop 多少钱？ and keep 你好你好你好你好你好, so:
// a message with any signal is never noise, and excluded keywords are removed (not used to
// reject the whole message: 你好，我想贷50万 stays) before the length is measured.
import type { Rules } from './rules';
import { TermMatcher, memo } from './match';
import { units } from './normalize';

const compile = memo((r) => new TermMatcher((r as Rules).noise.excludedKeywords));
const STRIP = /[\p{P}\p{S}\p{Z}\s\p{Extended_Pictographic}\u200d\ufe0f]+/gu;

/**
 * `text` is normalized; `hasSignal`: any rule family found something in it; `question`: the
 * customer asked something (保修期是多久？), which wants an answer unless it is only 在吗？.
 */
export function isNoise(text: string, hasSignal: boolean, rules: Rules, question = false): boolean {
  if (hasSignal) return false;
  const bare = text.replace(STRIP, ' ').trim();
  if (!bare) return true;
  let rest = bare;
  const hits = compile(rules).find(bare);
  for (let i = hits.length - 1; i >= 0; i--) {
    const h = hits[i]!;
    rest = rest.slice(0, h.start) + ' ' + rest.slice(h.end);
  }
  if (units(rest) === 0) return true;
  if (question) return false;
  return units(bare) < rules.noise.minLength;
}
