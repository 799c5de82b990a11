// The background's message-understanding loop for known customers. On `conversation.observed`:
// auto-log closed windows (when allowed), run the user's automation rules, and keep a compact
// understanding of the recent messages per conversation (memory + kv) that both the observed
// reply and later `sidebar.state` refreshes turn into suggestions. Pure lib code: the
// background passes in the clock, fetch, notifications and change broadcasting.
import type { LiaisonDb } from '../db/db';
import type { ChatMessage, Conversation, Customer, CustomerView } from '../model';
import type { ConvRef } from '../messaging/protocol';
import { loadModel, refineWithModel, understand, type UnderstandModel, type Understanding } from '../understand';
import { getSettings } from '../settings/store';
import { autoLogConversation, autoLogGate, flushDueAutoLogs } from '../autolog/autolog';
import { draftFollowUp } from '../autolog/draft';
import { loggedMessageIds } from '../autolog/record';
import { groupWindows } from '../autolog/window';
import { llmAllowed, summarizeWithLlm } from '../llm/summarize';
import { evaluateRules } from '../rules/evaluate';
import { applyRules, type RuleEffects } from '../rules/apply';
import { getUnderstandingConfig, llmApiKey, type UnderstandingConfig } from './config';
import type { Suggestions } from './schema';
import { buildSuggestions, type Understood } from './suggest';
import { ticketPrefill } from './ticket-prefill';

export interface EngineDeps {
  db: LiaisonDb;
  now(): number;
  fetch?: typeof fetch;
  /** Rule actions for one customer, through the same domain functions as the user's clicks. */
  effects(customerId: string): RuleEffects;
  /** Data changed outside a request (auto-log sweep, an LLM summary arrived). */
  changed(tables: string[]): Promise<void>;
}

export interface Observed {
  suggestions: Suggestions;
  /** Auto-logging or a rule wrote something: the caller's view is stale. */
  wrote: boolean;
}

const UNDERSTOOD_PREFIX = 'understood:';
/** Suggestions look at the latest conversation window, at most this many messages. */
const RECENT_MAX = 40;

const keyOf = (c: ConvRef) => `${c.site}\u0000${c.threadKey}`;

let modelLoad: Promise<UnderstandModel | undefined> | undefined;
/** The classifier's weights, loaded once on the first observed conversation (not at start-up). */
function modelOnce(): Promise<UnderstandModel | undefined> {
  modelLoad ??= loadModel().catch((err: unknown) => {
    console.warn('understanding model not loaded; suggesting from the rules alone', err);
    return undefined;
  });
  return modelLoad;
}

export function recentWindow(messages: readonly ChatMessage[], windowMs: number, now: number): ChatMessage[] {
  const timed = messages.map((m) => ({ id: m.id, at: m.at ?? now, m }));
  const last = groupWindows(timed, windowMs).at(-1) ?? [];
  return last.map((w) => w.m).slice(-RECENT_MAX);
}

/** The understood complaint, with the 创建售后单 draft quoting the messages that carry it. */
function complaintOf(u: Understanding, last: { term: string; messageId: string }, recent: readonly ChatMessage[], now: number): NonNullable<Understood['complaint']> {
  const kind = u.complaint.kind ?? 'after-sales';
  const ticket = ticketPrefill(recent, { kind, messageIds: u.complaint.evidence.map((e) => e.messageId) }, now, u.category);
  return { kind, term: last.term, messageId: last.messageId, ...(ticket ? { ticket } : {}) };
}

export function createUnderstandingEngine(deps: EngineDeps) {
  const { db } = deps;
  const memo = new Map<string, Understood>();
  /** LLM summaries by the message ids they summarize: one request per distinct window. */
  const llmCache = new Map<string, string>();

  async function context(site: string, customerId: string) {
    const [settings, config, connections] = await Promise.all([getSettings(db), getUnderstandingConfig(db), db.connections.toArray()]);
    return { settings, config, gate: autoLogGate(settings, config, site, customerId, connections) };
  }

  /**
   * Memory, and kv so a restarted worker still offers the suggestions. The 创建售后单 draft quotes
   * the customer's messages: it reaches kv only where the user keeps transcripts (settings); else
   * it lives in memory, and after a restart the suggestion offers the follow-up instead.
   */
  async function store(u: Understood): Promise<void> {
    memo.set(keyOf(u), u);
    const keepText = (await getSettings(db)).keepTranscripts;
    const persisted = !keepText && u.complaint?.ticket ? { ...u, complaint: { kind: u.complaint.kind, term: u.complaint.term, messageId: u.complaint.messageId } } : u;
    await db.kv.put({ key: UNDERSTOOD_PREFIX + keyOf(u), value: persisted });
  }

  async function suggestionsFor(u: Understood, customer: Customer, autoLog: { active: boolean; never: boolean }): Promise<Suggestions> {
    const [deals, logged, tickets] = await Promise.all([
      db.deals.where('customerId').equals(customer.id).toArray(),
      loggedMessageIds(db, customer.id),
      db.tickets.where('customerId').equals(customer.id).toArray(),
    ]);
    const ticketed = new Set(tickets.flatMap((t) => t.messageIds));
    const items = buildSuggestions(u, { customer, deals, logged, ticketed, now: deps.now(), autoLogActive: autoLog.active });
    return { items, autoLog, summarySource: u.summarySource, understoodAt: u.at };
  }

  /** Replaces the extractive summary of the one-click draft with the LLM's, in the background. */
  function refineWithLlm(u: Understood, msgs: readonly ChatMessage[], extractive: string, config: UnderstandingConfig) {
    const draft = u.draft;
    if (!draft || !extractive) return;
    const ids = draft.messageIds.join('|');
    const apply = async (summary: string) => {
      const current = memo.get(keyOf(u));
      if (!current?.draft || current.draft.messageIds.join('|') !== ids) return; // a newer window replaced it
      await store({ ...current, summarySource: 'llm', draft: { ...current.draft, content: summary + current.draft.content.slice(extractive.length) } });
    };
    const cached = llmCache.get(ids);
    if (cached) return void apply(cached);
    void (async () => {
      const key = await llmApiKey(db);
      if (!llmAllowed(config.llm, key)) return;
      const r = await summarizeWithLlm(config.llm, key, msgs, extractive, deps.fetch ? { fetch: deps.fetch } : {});
      if (r.source !== 'llm') return;
      llmCache.set(ids, r.summary);
      if (llmCache.size > 200) llmCache.delete(llmCache.keys().next().value!);
      await apply(r.summary);
      await deps.changed(['suggestions']);
    })().catch(() => undefined);
  }

  return {
    async observed(conversation: Conversation, view: CustomerView): Promise<Observed | undefined> {
      const customer = view.customer;
      if (view.status !== 'known' || !customer || conversation.isGroup) return undefined;
      const now = deps.now();
      const { settings, config, gate } = await context(conversation.site, customer.id);
      const windowMs = config.autoLog.windowMinutes * 60_000;
      // Wall-clock words (明天上午10:30) mean the user's zone, the one the sidebar displays in: the
      // browser's, not a fixed Asia/Shanghai (a UTC browser was offered 2:30 for 10:30).
      const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      // Buying, complaint and noise are the learned model's above its dev-chosen thresholds
      // (lib/understand/model); the weights load here on first use. Without them, the rules alone.
      const model = await modelOnce();
      const analyze = (msgs: readonly ChatMessage[]): Understanding => {
        const u = understand(msgs, { now, products: settings.products, timeZone });
        return model ? refineWithModel(u, msgs, model) : u;
      };
      let wrote = false;

      if (gate.active) {
        const apiKey = llmAllowed(config.llm, await llmApiKey(db)) ? await llmApiKey(db) : '';
        const written = await autoLogConversation(db, {
          site: conversation.site,
          threadKey: conversation.threadKey,
          customerId: customer.id,
          messages: conversation.messages,
          now,
          windowMs,
          keepTranscripts: settings.keepTranscripts,
          remote: gate.remote,
          analyze,
          ...(apiKey
            ? { summarize: async (msgs: readonly ChatMessage[], u: Understanding) => (await summarizeWithLlm(config.llm, apiKey, msgs, u.summary, deps.fetch ? { fetch: deps.fetch } : {})).summary }
            : {}),
        });
        wrote ||= written.length > 0;
      }

      const recent = recentWindow(conversation.messages, windowMs, now);
      const u = analyze(recent);
      const firings = evaluateRules(config.rules, { site: conversation.site, threadKey: conversation.threadKey, customer, understanding: u });
      const applied = await applyRules(db, firings, { site: conversation.site, threadKey: conversation.threadKey, customer, understanding: u }, deps.effects(customer.id), now);
      wrote ||= applied.some((a) => a.actions.length > 0);

      const logged = await loggedMessageIds(db, customer.id);
      const open = recent.filter((m) => !u.noise.byId[m.id] && !logged.has(m.id));
      const openU = open.length ? analyze(open) : undefined;
      const lastBuying = u.buying.evidence.at(-1);
      const lastComplaint = u.complaint.evidence.at(-1);
      const understood: Understood = {
        site: conversation.site,
        threadKey: conversation.threadKey,
        customerId: customer.id,
        at: now,
        summarySource: 'extractive',
        ...(lastBuying
          ? {
              buying: {
                term: lastBuying.term,
                messageId: lastBuying.messageId,
                ...(u.buying.product ? { product: u.buying.product } : {}),
                ...(u.buying.amount ? { amount: u.buying.amount.value, amountText: u.buying.amount.text } : {}),
              },
            }
          : {}),
        ...(lastComplaint ? { complaint: complaintOf(u, lastComplaint, recent, now) } : {}),
        ...(u.nextFollowUp ? { next: { at: u.nextFollowUp.at, text: u.nextFollowUp.text, messageId: u.nextFollowUp.messageId } } : {}),
        ...(openU ? { draft: draftFollowUp(open, openU, { summary: openU.summary, keepTranscripts: settings.keepTranscripts, now }) } : {}),
      };
      await store(understood);
      if (openU && !gate.active) refineWithLlm(understood, open, understood.draft!.content.startsWith(openU.summary) ? openU.summary : '', config);

      const fresh = wrote ? ((await db.customers.get(customer.id)) ?? customer) : customer;
      return { suggestions: await suggestionsFor(understood, fresh, { active: gate.active, never: gate.never }), wrote };
    },

    /** Suggestions for a refresh without a page read: the last understanding of this conversation. */
    async forView(view: CustomerView): Promise<Suggestions | undefined> {
      const customer = view.customer;
      if (view.status !== 'known' || !customer) return undefined;
      let u = memo.get(keyOf(view));
      if (!u) {
        u = (await db.kv.get(UNDERSTOOD_PREFIX + keyOf(view)))?.value as Understood | undefined;
        if (u) memo.set(keyOf(view), u);
      }
      if (!u || u.customerId !== customer.id) return undefined;
      const { gate } = await context(view.site, customer.id);
      return suggestionsFor(u, customer, { active: gate.active, never: gate.never });
    },

    /** Logs pending windows that went quiet; returns how many follow-ups were written. */
    async flushDue(): Promise<number> {
      const written = await flushDueAutoLogs(db, deps.now(), async (customerId, site) => (await context(site, customerId)).gate.active);
      if (written.length) await deps.changed(['followUps', 'customers', 'reminders']);
      return written.length;
    },

    /** Forget everything understood about a customer's conversations (e.g. after "never log"). */
    clear(): void {
      memo.clear();
    },
  };
}

export type UnderstandingEngine = ReturnType<typeof createUnderstandingEngine>;

