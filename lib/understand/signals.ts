// Buying signals (seed 003's 商机: 报价/采购/需求/预算 and how people actually ask: 多少钱, 利率,
// 额度, quote, pricing) and complaints / after-sales (seed 003's 售后: 投诉, 维修, 退换货).
// Only the customer's messages count; our own "给您发报价" is not a buying signal.
import type { Rules } from './rules';
import { type Hit, TermMatcher, memo } from './match';
import { type Prepared, liveHits } from './negation';
import { CLAUSE, sharesSpan } from './span';

interface Compiled {
  buying: TermMatcher;
  inquiry: TermMatcher;
  service: TermMatcher;
  strong: TermMatcher;
  afterSales: TermMatcher;
  policy: TermMatcher;
  conditional: TermMatcher;
  notNow: TermMatcher;
}
const compile = memo((r): Compiled => {
  const { buying, complaint } = r as Rules;
  return {
    buying: new TermMatcher(buying.terms),
    inquiry: new TermMatcher(buying.inquiryCues),
    service: new TermMatcher(buying.serviceCues),
    strong: new TermMatcher(complaint.strong),
    afterSales: new TermMatcher(complaint.afterSales),
    policy: new TermMatcher(complaint.policyCues),
    conditional: new TermMatcher(complaint.conditionalCues),
    notNow: new TermMatcher(buying.notNowCues),
  };
});

/** Sentence spans: service and policy context only reaches within its own sentence. */
const SENT = /[。！？!?；;\n]|\.(?:\s|$)/gu;
function sentenceOf(text: string, at: number): [number, number] {
  SENT.lastIndex = 0;
  let start = 0;
  for (let m = SENT.exec(text); m; m = SENT.exec(text)) {
    const end = m.index + m[0].length;
    if (end > at) return [start, end];
    start = end;
  }
  return [start, text.length];
}
const inSentence = (text: string, h: Hit, others: readonly Hit[]): boolean => {
  if (!others.length) return false;
  const [a, b] = sentenceOf(text, h.start);
  return others.some((o) => o.start >= a && o.end <= b);
};

export interface BuyingSignal {
  present: boolean;
  /** Terms that signal buying (or the product name, for 想了解一下经营贷). */
  terms: string[];
  /** Terms seen but negated or closed (不需要报价, 价格已经发过了): the evidence for 无意向. */
  negated: string[];
}

/** `products`: the products this message mentions (a product plus 了解/咨询 is an inquiry). */
export function detectBuying(p: Prepared, products: readonly string[], rules: Rules, complaint?: ComplaintSignal): BuyingSignal {
  // 乱收费/利率说好的3.8: a complaint about what was sold is not a new sale.
  if (complaint?.kind === 'complaint') return { present: false, terms: [], negated: [] };
  const c = compile(rules);
  const { live, negated } = liveHits(c.buying.find(p.text), p, rules);
  const service = c.service.find(p.text);
  // 提前还款要收利息吗: a question about an existing loan, not a new one.
  // 合同已经签了 / 我朋友想贷款 / 如果以后有需要: past, relayed, conditional or withdrawn (issue 18).
  const notNow = c.notNow.find(p.text);
  const closed = live.filter((h) => sharesSpan(p.text, h, notNow, CLAUSE));
  const kept = live.filter((h) => !inSentence(p.text, h, service) && !closed.includes(h));
  negated.push(...closed);
  const terms = kept.map((h) => h.term);
  if (!terms.length && products.length && !service.length && !notNow.length) {
    const cues = liveHits(c.inquiry.find(p.text), p, rules).live;
    if (cues.length || /[?？吗呢]/u.test(p.text)) terms.push(...products);
  }
  return { present: terms.length > 0, terms: [...new Set(terms)], negated: [...new Set(negated.map((h) => h.term))] };
}

export interface ComplaintSignal {
  present: boolean;
  /** 'complaint' (投诉, 坏了, scam) or 'after-sales' (退款, 维修, refund): both make a ticket. */
  kind?: 'complaint' | 'after-sales';
  terms: string[];
}

export function detectComplaint(p: Prepared, rules: Rules): ComplaintSignal {
  const c = compile(rules);
  const conditional = c.conditional.find(p.text);
  const strong = liveHits(c.strong.find(p.text), p, rules).live.filter((h) => !inSentence(p.text, h, conditional));
  if (strong.length) {
    const after = c.afterSales.find(p.text).map((h) => h.term);
    return { present: true, kind: 'complaint', terms: [...new Set([...strong.map((h) => h.term), ...after])] };
  }
  const policy = c.policy.find(p.text);
  // 支持七天无理由退货吗 / what is your return policy: a question, not a ticket.
  const after = liveHits(c.afterSales.find(p.text), p, rules).live.filter(
    (h) => !inSentence(p.text, h, conditional) && !inSentence(p.text, h, policy),
  );
  if (after.length) return { present: true, kind: 'after-sales', terms: [...new Set(after.map((h) => h.term))] };
  return { present: false, terms: [] };
}
