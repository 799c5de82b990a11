// Seed 004's categories (销售线索 / 技术支持 / 客户服务 / 产品反馈, which route to sales, support
// desk, service desk, product board) and priorities (high / medium / low).
import { type Category, CATEGORIES, type Priority, type Rules } from './rules';

import { TermMatcher, memo } from './match';
import type { Prepared } from './negation';

const compile = memo((r) => {
  const { categories, priority } = r as Rules;
  return {
    byCategory: CATEGORIES.map((c) => [c, new TermMatcher(categories.terms[c])] as const),
    urgent: new TermMatcher(priority.urgent),
    calm: new TermMatcher(priority.calm),
  };
});

export type CategoryScores = Record<Category, number>;

/** A buying signal or a complaint is worth two keyword hits: it is the stronger evidence. */
const SIGNAL_WEIGHT = 2;

export function categoryScores(p: Prepared, signals: { buying: boolean; complaint: boolean }, rules: Rules): CategoryScores {
  const scores = { 销售线索: 0, 技术支持: 0, 客户服务: 0, 产品反馈: 0 } as CategoryScores;
  for (const [c, m] of compile(rules).byCategory) scores[c] = m.find(p.text).length;
  if (signals.buying) scores.销售线索 += SIGNAL_WEIGHT;
  if (signals.complaint) scores.客户服务 += SIGNAL_WEIGHT;
  return scores;
}

/**
 * Ties: feedback phrases (希望/建议/would be nice) are the most specific words, sales the least
 * (a buying signal already weighs double).
 */
const TIE_ORDER: readonly Category[] = ['产品反馈', '技术支持', '客户服务', '销售线索'];

/** The best-scoring category, or null when nothing points anywhere. */
export function pickCategory(scores: CategoryScores): Category | null {
  let best: Category | null = null;
  let top = 0;
  for (const c of TIE_ORDER) {
    if (scores[c] > top) {
      best = c;
      top = scores[c];
    }
  }
  return best;
}

export function urgency(p: Prepared, rules: Rules): { urgent: boolean; calm: boolean } {
  const c = compile(rules);
  const calm = c.calm.find(p.text);
  // 不急 contains 急: a calm phrase covers the urgent word inside it.
  const urgent = c.urgent.find(p.text).filter((u) => !calm.some((k) => k.start <= u.start && k.end >= u.end));
  return { urgent: urgent.length > 0, calm: calm.length > 0 };
}

const LEVELS: readonly Priority[] = ['low', 'medium', 'high'];

/**
 * Priority: complaints are high (an angry customer waits least); sales, support and service
 * questions medium; feedback and chit-chat low. Urgency words raise one level, calm words
 * lower one, a large deal (rules.priority.highAmount) is high.
 */
export function priorityOf(
  input: { category: Category | null; complaint: 'complaint' | 'after-sales' | undefined; urgent: boolean; calm: boolean; amount?: number },
  rules: Rules,
): Priority {
  if (input.complaint === 'complaint') return 'high';
  let level = input.category === null || input.category === '产品反馈' ? 0 : 1;
  if (input.urgent) level++;
  if (input.calm) level--;
  if (input.amount !== undefined && input.amount >= rules.priority.highAmount) level = 2;
  return LEVELS[Math.max(0, Math.min(2, level))]!;
}
