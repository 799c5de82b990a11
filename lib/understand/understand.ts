// Message understanding (ARCHITECTURE.md's port): a pure function from a conversation's messages
// to the signals the sidebar suggests from ("客户询价：经营贷 50万 — 创建商机？", "下次跟进：明天
// 15:00？") and automation rules act on. Rule-based by default; an optional LLM can later fill
// the same Understanding shape.
//
// The customer's messages (direction 'in') carry the buying signals, complaints, products and
// category; our own messages ('out') count for the follow-up method and the next time
// ("我明天下午给您打电话"), and stand in for the product or amount only when the customer
// never named one.
import type { ChatMessage, FollowUpMethod, FollowUpResult, IntentLevel } from '../model';
import { type Amount, amountsInNormalized } from './amount';
import { type Category, DEFAULT_RULES, type Priority, type Rules, type ZhibangSort } from './rules';
import { type CategoryScores, categoryScores, pickCategory, priorityOf, urgency } from './category';
import { DEFAULT_TIME_ZONE, type TimeMention, findTimeNormalized } from './datetime';
import { detectResult, intentLevel } from './intent';
import { TermMatcher, memo } from './match';
import { detectMethods, zhibangSort } from './method';
import { prepare } from './negation';
import { isNoise } from './noise';
import { productsInNormalized } from './product';
import { detectBuying, detectComplaint } from './signals';
import { summarize } from './summary';

export interface UnderstandOptions {
  /** The reference time for 明天/下周一 (epoch ms) in undated messages; a dated message (ChatMessage.at) uses its own time. */
  now: number;
  /** IANA zone for wall-clock expressions; Asia/Shanghai by default. */
  timeZone?: string;
  /** The user's products (settings.products). */
  products: readonly string[];
  rules?: Rules;
  /** The method when nothing in the messages names one: the chat itself (seed 003: 微信, 484). */
  defaultMethod?: FollowUpMethod;
}

/** Where a signal was seen. */
export interface Evidence {
  messageId: string;
  direction: 'in' | 'out';
  /** The rule term that matched (报价, quote) or the product name. */
  term: string;
}

/** What one message says. Exposed so the sidebar can highlight, and the evaluation can score per message. */
export interface MessageSignals {
  id: string;
  direction: 'in' | 'out';
  noise: boolean;
  /** Buying terms that count (customer messages only). */
  buying: string[];
  /** Buying terms seen but negated or closed (没有预算, 价格已经发过了). */
  buyingNegated: string[];
  complaint: string[];
  complaintKind?: 'complaint' | 'after-sales';
  method?: { method: FollowUpMethod; zhibang: ZhibangSort; term: string };
  /** Other channels the same message also arranges (先电话聊，资料微信发你: 微信 beside 电话). */
  alsoMethods?: FollowUpMethod[];
  category: Category | null;
  categoryScores: CategoryScores;
  urgent: boolean;
  calm: boolean;
  products: string[];
  /** The deal amount of this message, if it names one (月收入2万 is not). */
  amount?: Amount;
  time?: TimeMention;
  result?: FollowUpResult;
}

export interface Understanding {
  /** 跟进方式: the latest method named in the conversation, else opts.defaultMethod (微信). */
  method: FollowUpMethod;
  /** Why: the message and term, absent when the method is the default. */
  methodEvidence?: Evidence;
  /** 智邦 sort code for `method` (481 电话, 482 邮件, 483 面谈, 484 微信/其他). */
  zhibangSort: ZhibangSort;
  noise: {
    /** Every message is noise: nothing to log (seed 003 would not sync it). */
    all: boolean;
    byId: Record<string, boolean>;
  };
  /** → suggest a deal / 商机. */
  buying: {
    present: boolean;
    evidence: Evidence[];
    /** Negated mentions (不需要报价): evidence for 无意向. */
    negated: Evidence[];
    /** The product the customer asked about most recently (else the one we pitched). */
    product?: string;
    /** The most recent deal amount (customer's, else ours). */
    amount?: Amount;
  };
  /** → suggest an after-sales ticket. */
  complaint: {
    present: boolean;
    kind?: 'complaint' | 'after-sales';
    evidence: Evidence[];
  };
  /** Seed 004's category of the conversation, or null when nothing points anywhere. */
  category: Category | null;
  priority: Priority;
  /** 意向等级, with the reasons (amount, product, time, meeting, urgent, 已拒绝…). */
  intentLevel: IntentLevel;
  intentReasons: string[];
  /** Products the customer mentioned, in order of first mention (seed 003 产品咨询统计). */
  products: string[];
  /** product → how many customer messages mention it. */
  productCounts: Record<string, number>;
  /** 下次跟进: the most recent future time named in the conversation. */
  nextFollowUp?: { at: number; text: string; deadline: boolean; messageId: string; direction: 'in' | 'out' };
  /** ≤50 字 (zh) or a short sentence (en), extractive. */
  summary: string;
  /** 跟进结果 from the customer's latest outcome words or signals. */
  result?: FollowUpResult;
  messages: MessageSignals[];
}

const amountCues = memo((r) => ({
  deal: new TermMatcher((r as Rules).amount.dealCues),
  notDeal: new TermMatcher((r as Rules).amount.notDealCues),
}));

/**
 * The deal amount of a message: one right after a deal word (想贷30万) first, else the largest
 * one not after an income word (月收入2万，想要30万 → 30万; 月供3000 alone → none).
 */
function dealAmount(text: string, rules: Rules): Amount | undefined {
  const all = amountsInNormalized(text);
  if (!all.length) return budgetNumber(text);
  const c = amountCues(rules);
  const deal = c.deal.find(text);
  const notDeal = c.notDeal.find(text);
  // The nearest cue before the amount (within a few characters) says what it is.
  const kindOf = (a: Amount): 'deal' | 'not' | 'none' => {
    let best: { end: number; kind: 'deal' | 'not' } | undefined;
    for (const [hits, kind] of [[deal, 'deal'], [notDeal, 'not']] as const)
      for (const h of hits) if (h.end <= a.start && a.start - h.end <= 8 && (!best || h.end > best.end)) best = { end: h.end, kind };
    return best?.kind ?? 'none';
  };
  const ok = all.filter((a) => kindOf(a) !== 'not');
  if (!ok.length) return budgetNumber(text);
  const cued = ok.filter((a) => kindOf(a) === 'deal');
  const pool = cued.length ? cued : ok;
  return pool.reduce<Amount | undefined>((best, a) => (!best || a.value > best.value ? a : best), undefined);
}

/** 预算5000左右 / budget is 8000: a bare number right after a budget word is money too. */
function budgetNumber(text: string): Amount | undefined {
  const m = /(预算|budget)(?:是|大概|大约|约|在|有|of|is|around|about|:|\s)*(\d{3,}(?:,\d{3})*)(?![\d.%])/u.exec(text);
  if (!m) return undefined;
  const start = m.index + m[0].length - m[2]!.length;
  return { value: Number(m[2]!.replace(/,/g, '')), text: m[2]!, start, end: m.index + m[0].length };
}

export interface AnalyzeContext {
  now: number;
  timeZone: string;
  products: readonly string[];
  rules: Rules;
}

/** Everything one message says, on its own. */
export function analyzeMessage(msg: Pick<ChatMessage, 'id' | 'direction' | 'text'>, ctx: AnalyzeContext): MessageSignals {
  const { rules } = ctx;
  const p = prepare(msg.text, rules);
  const customer = msg.direction === 'in';
  const products = productsInNormalized(p.text, ctx.products, rules);
  const complaint = customer ? detectComplaint(p, rules) : { present: false, terms: [] as string[] };
  const buying = customer ? detectBuying(p, products, rules, complaint) : { present: false, terms: [], negated: [] };
  const [method, ...alsoMethods] = detectMethods(p, rules);
  const amount = dealAmount(p.text, rules);
  const time = findTimeNormalized(p.text, ctx.now, ctx.timeZone) ?? undefined;
  const result = customer ? detectResult(p, buying, rules) : undefined;
  const scores = categoryScores(p, { buying: buying.present, complaint: complaint.present }, rules);
  const category = customer ? pickCategory(scores) : null;
  const { urgent, calm } = urgency(p, rules);
  // A customer's question always wants an answer, so it is never noise (保修期是多久？).
  const question = customer && /[?？吗呢]\s*$/u.test(p.text.replace(/[\p{Extended_Pictographic}\s]+$/u, ''));
  const hasSignal =
    buying.present || buying.negated.length > 0 || complaint.present || !!method || !!amount || !!time || !!result || products.length > 0 || category !== null;
  return {
    id: msg.id,
    direction: msg.direction,
    noise: isNoise(p.text, hasSignal, rules, question),
    buying: buying.terms,
    buyingNegated: buying.negated,
    complaint: complaint.terms,
    ...('kind' in complaint && complaint.kind ? { complaintKind: complaint.kind } : {}),
    ...(method ? { method } : {}),
    ...(alsoMethods.length > 0 ? { alsoMethods: alsoMethods.map((m) => m.method) } : {}),
    category,
    categoryScores: scores,
    urgent,
    calm,
    products,
    ...(amount ? { amount } : {}),
    ...(time ? { time } : {}),
    ...(result ? { result } : {}),
  };
}

function messageWeight(s: MessageSignals): number {
  if (s.noise) return 0;
  let w = 0.2;
  if (s.buying.length) w += 3;
  if (s.complaint.length) w += 3;
  if (s.amount) w += 2;
  if (s.products.length) w += 1.5;
  if (s.time) w += 2;
  if (s.result) w += 1.5;
  if (s.method) w += 1;
  if (s.category) w += 0.5;
  return s.direction === 'in' ? w : w * 0.6;
}

export function understand(messages: readonly ChatMessage[], opts: UnderstandOptions): Understanding {
  const rules = opts.rules ?? DEFAULT_RULES;
  const ctx: AnalyzeContext = { now: opts.now, timeZone: opts.timeZone ?? DEFAULT_TIME_ZONE, products: opts.products, rules };
  // 明天 in a message from last Tuesday means last Wednesday: relative times resolve against the
  // message's own time when the page gives one (and it is not in the future), else against now.
  const sigs = messages.map((m) => analyzeMessage(m, m.at !== undefined && m.at <= opts.now ? { ...ctx, now: m.at } : ctx));
  const ev = (s: MessageSignals, term: string): Evidence => ({ messageId: s.id, direction: s.direction, term });
  const latest = <T>(pick: (s: MessageSignals) => T | undefined, dir?: 'in' | 'out'): [T, MessageSignals] | undefined => {
    for (let i = sigs.length - 1; i >= 0; i--) {
      const s = sigs[i]!;
      if (dir && s.direction !== dir) continue;
      const v = pick(s);
      if (v !== undefined) return [v, s];
    }
    return undefined;
  };
  const ins = sigs.filter((s) => s.direction === 'in');

  const methodHit = latest((s) => s.method);
  const method = methodHit?.[0].method ?? opts.defaultMethod ?? '微信';

  const buyingEvidence = ins.flatMap((s) => s.buying.map((t) => ev(s, t)));
  const negatedEvidence = ins.flatMap((s) => s.buyingNegated.map((t) => ev(s, t)));
  const product = (latest((s) => s.products.at(-1), 'in') ?? latest((s) => s.products.at(-1), 'out'))?.[0];
  const amount = (latest((s) => s.amount, 'in') ?? latest((s) => s.amount, 'out'))?.[0];

  const complaintEvidence = ins.flatMap((s) => s.complaint.map((t) => ev(s, t)));
  const complaintKind = ins.some((s) => s.complaintKind === 'complaint') ? 'complaint' : complaintEvidence.length ? 'after-sales' : undefined;

  const total = { 销售线索: 0, 技术支持: 0, 客户服务: 0, 产品反馈: 0 } as CategoryScores;
  for (const s of ins) if (!s.noise) for (const k of Object.keys(total) as Category[]) total[k] += s.categoryScores[k];
  const category = pickCategory(total);

  const products: string[] = [];
  // A Map: a product the user named "constructor" or "__proto__" is a name like any other.
  const counts = new Map<string, number>();
  for (const s of ins)
    for (const p of s.products) {
      if (!products.includes(p)) products.push(p);
      counts.set(p, (counts.get(p) ?? 0) + 1);
    }
  const productCounts: Record<string, number> = Object.fromEntries(counts);

  const next = latest((s) => s.time);
  const result = latest((s) => s.result, 'in')?.[0];
  // Urgency of the customer's recent messages, not of something said an hour ago.
  const recent = ins.slice(-5);
  const urgent = recent.some((s) => s.urgent);
  const calm = recent.some((s) => s.calm);
  const priority = priorityOf({ category, complaint: complaintKind, urgent, calm, ...(amount ? { amount: amount.value } : {}) }, rules);
  const intent = intentLevel({
    buying: buyingEvidence.length > 0,
    result,
    amount: !!amount,
    product: !!product,
    nextFollowUp: !!next,
    meeting: method === '面谈' && !!methodHit,
    urgent,
  });

  const summary = summarize(
    sigs.map((s, i) => ({
      raw: messages[i]!.text,
      weight: messageWeight(s),
      keys: [...s.buying, ...s.complaint, ...s.products.map((p) => p.toLowerCase()), s.amount?.text, s.time?.text, s.method?.term]
        .filter((k): k is string => !!k)
        .map((k) => k.toLowerCase()),
    })),
    rules,
  );

  const byId: Record<string, boolean> = {};
  for (const s of sigs) byId[s.id] = s.noise;

  return {
    method,
    ...(methodHit ? { methodEvidence: ev(methodHit[1], methodHit[0].term) } : {}),
    zhibangSort: methodHit?.[0].zhibang ?? zhibangSort(method, rules),
    noise: { all: sigs.every((s) => s.noise), byId },
    buying: {
      present: buyingEvidence.length > 0,
      evidence: buyingEvidence,
      negated: negatedEvidence,
      ...(product ? { product } : {}),
      ...(amount ? { amount } : {}),
    },
    complaint: { present: complaintEvidence.length > 0, ...(complaintKind ? { kind: complaintKind } : {}), evidence: complaintEvidence },
    category,
    priority,
    intentLevel: intent.level,
    intentReasons: intent.reasons,
    products,
    productCounts,
    ...(next ? { nextFollowUp: { at: next[0].at, text: next[0].text, deadline: next[0].deadline, messageId: next[1].id, direction: next[1].direction } } : {}),
    summary,
    ...(result ? { result } : {}),
    messages: sigs,
  };
}
