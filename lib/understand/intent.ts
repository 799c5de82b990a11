// 跟进结果 and 意向等级 from the signals seen. Deliberately simple and explainable: the sidebar
// shows the reasons next to the suggestion, and the user corrects it in one click.
import type { FollowUpResult, IntentLevel } from '../model';
import type { Rules } from './rules';
import { TermMatcher, memo } from './match';
import { type Prepared, liveHits } from './negation';

const compile = memo((r) => ({
  refused: new TermMatcher((r as Rules).result.refused),
  considering: new TermMatcher((r as Rules).result.considering),
}));

/** What one customer message says about the outcome, if anything. */
export function detectResult(p: Prepared, buying: { present: boolean; negated: readonly string[] }, rules: Rules): FollowUpResult | undefined {
  const c = compile(rules);
  // Refusal phrases carry their own negation (不需要了), so they are not negation-checked.
  if (c.refused.test(p.text)) return '已拒绝';
  if (liveHits(c.considering.find(p.text), p, rules).live.length) return '待考虑';
  if (buying.present) return '有意向';
  if (buying.negated.length) return '无意向';
  return undefined;
}

export interface IntentInput {
  buying: boolean;
  /** The latest outcome from the customer's messages. */
  result: FollowUpResult | undefined;
  amount: boolean;
  product: boolean;
  nextFollowUp: boolean;
  meeting: boolean;
  urgent: boolean;
}

/**
 * 高: a buying signal made concrete (an amount, a product, a time or a meeting, urgency).
 * 中: a buying signal alone, or 待考虑. 低: refused, not interested, or no signal at all.
 * The latest outcome wins: a customer who asked the price and then said 不需要了 is 低.
 */
export function intentLevel(i: IntentInput): { level: IntentLevel; reasons: string[] } {
  if (i.result === '已拒绝' || i.result === '无意向') return { level: '低', reasons: [i.result] };
  if (i.buying) {
    const reasons = [
      i.amount && 'amount',
      i.product && 'product',
      i.nextFollowUp && 'time',
      i.meeting && 'meeting',
      i.urgent && 'urgent',
    ].filter((r): r is string => !!r);
    if (i.result === '待考虑') return { level: '中', reasons: ['buying', '待考虑'] };
    return reasons.length ? { level: '高', reasons: ['buying', ...reasons] } : { level: '中', reasons: ['buying'] };
  }
  if (i.result === '待考虑') return { level: '中', reasons: ['待考虑'] };
  return { level: '低', reasons: [] };
}
