// The systems `npm run eval` compares, each a function from labelled rows to predictions:
// the rules alone, rules + the learned model (lib/understand/model), and an optional
// OpenAI-compatible LLM (the same evaluation, for the options page's LLM path).
import { z } from 'zod';
import { chatComplete, type LlmEndpoint } from '../../lib/llm/client';
import { FOLLOW_UP_METHODS } from '../../lib/model/enums';
import { DEFAULT_RULES, analyzeMessage, type AnalyzeContext, type MessageSignals } from '../../lib/understand';
import type { Labelled, Prediction } from './evaluate';
import type { UnderstandModel } from '../../lib/understand/model/classify';

/** The evaluation's reference time: 2026-12-06 10:00 in Shanghai. Messages with sentAt use their own. */
export const EVAL_NOW = Date.UTC(2026, 11, 6, 2, 0);

export function evalContext(): AnalyzeContext {
  // The user's products would be their own; the default rules' loan products stand in.
  return { now: EVAL_NOW, timeZone: 'Asia/Shanghai', products: Object.keys(DEFAULT_RULES.productAliases), rules: DEFAULT_RULES };
}

export function signalsOf(r: Pick<Labelled, 'id' | 'text'>, ctx: AnalyzeContext = evalContext()): MessageSignals {
  return analyzeMessage({ id: r.id, direction: 'in', text: r.text }, ctx);
}

/** The channels the rules found, strongest first. */
export const methodsOf = (s: MessageSignals): Prediction['methods'] => (s.method ? [s.method.method, ...(s.alsoMethods ?? [])] : []);

export function rulesPrediction(s: MessageSignals): Prediction {
  return { buying: s.buying.length > 0, complaint: s.complaint.length > 0, noise: s.noise, methods: methodsOf(s) };
}

export function predictRules(rows: readonly Labelled[]): Prediction[] {
  const ctx = evalContext();
  return rows.map((r) => rulesPrediction(signalsOf(r, ctx)));
}

/** Rules + model: the model decides buying, complaint and noise above its thresholds; the rules pick the method, the model's gate confirms it. */
export async function predictModel(rows: readonly Labelled[]): Promise<Prediction[]> {
  // Imported on use: the model module loads its weights lazily, as the background does.
  const { classify } = await import('../../lib/understand/model/classify');
  const ctx = evalContext();
  const out: Prediction[] = [];
  for (const r of rows) {
    const s = signalsOf(r, ctx);
    const c = await classify(r.text, s);
    out.push({ buying: c.buying.decision, complaint: c.complaint.decision, noise: c.noise.decision, methods: c.method.decision ? methodsOf(s) : [] });
  }
  return out;
}

const llmAnswer = z.object({
  buying: z.boolean(),
  complaint: z.boolean(),
  noise: z.boolean(),
  methods: z.array(z.enum(FOLLOW_UP_METHODS)).default([]),
});

export const LLM_SYSTEM_PROMPT = [
  'You label one customer chat message for a CRM. Answer with JSON only:',
  '{"buying": bool, "complaint": bool, "noise": bool, "methods": [..]}.',
  'buying: interest in buying/borrowing/ordering/renewing something new now (price, quote, stock, lead time, quantity with a deadline, adding seats, 月供/分期 sizing, formal quote or contract by a date, on-site demo). Not when negated, withdrawn, only conditional, relayed for someone else, or a past fact.',
  'complaint: a problem with what they have or were promised, or an after-sales request (refund, repair, return, re-issue), including promises not kept, faults described plainly, wrong invoices, unexpected charges, sarcasm, asking again. Not policy questions or hypotheticals.',
  'noise: nothing worth logging (greetings, thanks, ok, emoji). Short facts about the customer are not noise.',
  'methods: channels arranged or requested for contact, from ["电话","微信","面谈","邮件","其他"]; not a phone bill, paying by WeChat, or an email address typo.',
].join('\n');

export interface LlmPredictOptions {
  endpoint: LlmEndpoint;
  fetch?: typeof fetch;
}

/** One request per message; an unusable answer counts as "nothing" and is tallied in `failures`. */
export async function predictLlm(rows: readonly Labelled[], opts: LlmPredictOptions): Promise<{ predictions: Prediction[]; failures: number }> {
  const predictions: Prediction[] = [];
  let failures = 0;
  for (const r of rows) {
    try {
      const text = await chatComplete(
        opts.endpoint,
        [
          { role: 'system', content: LLM_SYSTEM_PROMPT },
          { role: 'user', content: r.text },
        ],
        { ...(opts.fetch ? { fetch: opts.fetch } : {}), maxTokens: 80 },
      );
      const json = /\{[\s\S]*\}/.exec(text)?.[0];
      predictions.push(llmAnswer.parse(JSON.parse(json ?? 'null')));
    } catch {
      failures++;
      predictions.push({ buying: false, complaint: false, noise: false, methods: [] });
    }
  }
  return { predictions, failures };
}

/**
 * Rules + a given model (cross-validation scores models trained in memory): buying, complaint
 * and noise from the model; methods from the rules, kept only when the model's method gate agrees.
 */
export function predictWith(model: UnderstandModel, rows: readonly Labelled[], sigs: readonly MessageSignals[]): Prediction[] {
  return rows.map((r, i) => {
    const s = sigs[i]!;
    const c = model.classify(r.text, s);
    return { buying: c.buying.decision, complaint: c.complaint.decision, noise: c.noise.decision, methods: c.method.decision ? methodsOf(s) : [] };
  });
}
