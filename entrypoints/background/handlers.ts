// Message type → domain operation. Thin on purpose: validation happened in the router, the
// domain work lives in lib/, and every mutation ends with `changed()` so open surfaces refresh
// and the reminder alarm is recomputed.
import type { LiaisonDb } from '@/lib/db/db';
import type { Handlers, RequestContext } from '@/lib/messaging/router';
import { MessageError } from '@/lib/messaging/router';
import type { ContentEvent, ResponseOf, TabEvent } from '@/lib/messaging/protocol';
import { readerHealthSchema, type ReaderHealth } from '@/lib/model';
import { z } from 'zod';
import { createCustomer } from '@/lib/customers/create';
import { updateCustomer } from '@/lib/customers/update';
import { logFollowUp } from '@/lib/customers/follow-up';
import { linkCustomer, rememberChatUrl, unlinkCustomer } from '@/lib/customers/link';
import { buildCustomerView } from '@/lib/customers/view';
import { buildDashboard } from '@/lib/customers/dashboard';
import { exportAll, importAll, type ImportProgress } from '@/lib/customers/export';
import { searchCustomers } from '@/lib/search/query';
import { getSettings, saveSettings } from '@/lib/settings/store';
import { markDone, snooze } from '@/lib/reminders/store';
import { listConnections, removeConnection, resolveDraft, saveConnection, setConnectionEnabled } from '@/lib/connections/store';
import type { Connection, Conversation, CustomerView } from '@/lib/model';
import type { CrmFieldList, FieldChoice, PrepareResult } from '@/lib/crm/port';
import { unseenTab, type TabStates } from './tab-state';
import { createBulkHandlers } from './bulk-handlers';
import { browserDiagnosticsPort, createDiagnosticsHandlers, type DiagnosticsPort } from './diagnostics';
import { createLeadHandlers, type LeadPorts } from '@/lib/leads/handlers';
import { createLeadCrmHandlers } from './lead-import';
import { createCustomSiteHandlers, type CustomSitePorts } from '@/lib/custom-sites/handlers';
import { createDeal } from '@/lib/customers/deal';
import { robotHandlers } from '@/lib/notify/handlers';
import type { GroupPoster } from '@/lib/notify/queue';
import { getStrategy } from '@/lib/strategy/schema';
import type { NotifyEvent } from '@/lib/notify/templates';
import type { MappingContext } from '@/lib/mapping';
import { assignHandlers } from '@/lib/assign/handlers';
import { autoAssign, type AssignResult } from '@/lib/assign/assign';
import { noteRuleConversation } from '@/lib/rules/notify-context';
import { createTicket, setTicketStatus, ticketViews } from '@/lib/customers/ticket';
import { getUnderstandingView, llmApiKey, saveUnderstandingConfig, setNeverLog } from '@/lib/suggest/config';
import type { UnderstandingEngine } from '@/lib/suggest/engine';
import { testLlm } from '@/lib/llm/summarize';
import { categoryOf, noteConversation } from '@/lib/strategy/category';
import { mappingView, previewMapping, saveMapping, saveStrategyChecked, strategyView } from '@/lib/strategy/handlers';
import { syncHealth } from '@/lib/sync/health';
import type { Team } from '@/lib/sync/team';
import { connectionEntries, discardEntry, retryEntry, type EntryActionResult } from '@/lib/sync/entries';

export interface HandlerDeps {
  db: LiaisonDb;
  now(): number;
  /** Data changed: refresh surfaces, reschedule reminders. */
  changed(tables: string[]): Promise<void>;
  openChat(customerId: string): Promise<boolean>;
  /** "Test connection": the adapter's verify() for a connection that may not be saved yet. */
  verifyConnection(connection: Connection, secrets: Record<string, string>): Promise<{ account?: string }>;
  /** "Connect" for oauth2-pkce CRMs: run the sign-in, store the grant, verify it (account only, never tokens). */
  connectOAuth?(id: string): Promise<{ account?: string }>;
  /** A settings field's values as the CRM lists them (the adapter's fieldChoices()). */
  fieldChoices?(connection: Connection, field: string): Promise<FieldChoice[] | undefined>;
  /** The CRM's own fields (the adapter's listFields()), for the mapping editor and its validation. */
  listFields?(connection: Connection): Promise<CrmFieldList | undefined>;
  /** The adapter's prepare() (create/check tables); returns the settings patch and a summary. */
  prepareConnection(connection: Connection): Promise<PrepareResult>;
  sync: {
    /** Local changes were queued: send them soon. */
    kick(): void;
    retryNow(filter: { connectionId?: string; customerId?: string }): Promise<number>;
    health(): Promise<ResponseOf<'sync.health'>>;
  };
  clearReminderNotification(customerId: string): Promise<void>;
  /** A team on one CRM: live candidates, linking CRM records, pulls, conflicts (lib/sync/team.ts). */
  team?: Team;
  /** Group robot posts through the durable queue (lib/notify/queue.ts); absent in unit tests: nothing is posted. */
  groupPosts?: GroupPoster;
  /** Message understanding for known customers: auto-logging, rules, suggestions (lib/suggest/engine.ts). */
  understanding?: UnderstandingEngine;
  /** Lead extraction's browser side (executeScript, the review tab); absent in unit tests. */
  leads?: LeadPorts;
  /** User-defined sites' browser side (content script registration, selector checks). */
  customSites?: CustomSitePorts;
  /** 复制页面结构: asking a chat tab for its page skeleton (default: the browser's tabs). */
  diagnostics?: DiagnosticsPort;
  /** Chat tabs: what each one's content script reported, its framed sidebar, and word back to the content script. */
  tabs?: {
    states: TabStates;
    /** tell extension pages (the tab's sidebar) that the tab reported, with what it shows when known */
    notify(tabId: number, seq: number, state?: TabEvent['state']): void;
    toContent(tabId: number, event: ContentEvent): void;
    /**
     * How many data changes have been broadcast so far (broadcast.ts). A view built before the
     * count moved may show what the change replaced, so it is not sent along: the sidebar re-asks.
     */
    changes(): number;
  };
}

/**
 * The address the reader saw (where a single-page app has navigated to, e.g. a LinkedIn thread)
 * is kept for "open chat" when it is on the sender's own origin; the browser's sender URL is
 * where the page was loaded.
 */
function sameOrigin(url: string | undefined, senderUrl: string): boolean {
  if (!url) return false;
  try {
    return new URL(url).origin === new URL(senderUrl).origin;
  } catch {
    return false;
  }
}
/** Where the customer most recently shown beside a chat is kept for a restarted worker. */
const CHAT_CUSTOMER_KEY = 'chat:currentCustomer';

export function createHandlers(deps: HandlerDeps): Handlers {
  const { db, now } = deps;
  // The worker's memory, one per set of handlers (the worker makes one; each test its own, so
  // nothing one leaves behind reaches the next):
  /** Each site's newest reader health (kv keeps it for a restarted worker). */
  const health = new Map<string, ReaderHealth & { at: number }>();
  /** The customer most recently shown beside a chat (the mapping editor previews on it); also in kv. */
  let chatCustomer: string | undefined;
  /** The running import's progress (the options page polls it while the batches are written). */
  let importProgress: ImportProgress | null = null;

  /** Kept in kv too (only when it changes), so the options page can show it after the worker restarted. */
  async function noteHealth(h: ReaderHealth) {
    const prev = health.get(h.site);
    const next = { ...h, at: now() };
    health.set(h.site, next);
    if (!prev || prev.ok !== h.ok || JSON.stringify(prev.fields) !== JSON.stringify(h.fields) || JSON.stringify(prev.issues) !== JSON.stringify(h.issues)) await db.kv.put({ key: `readerHealth:${h.site}`, value: next });
  }

  async function noteChatCustomer(customerId: string) {
    if (customerId === chatCustomer) return;
    chatCustomer = customerId;
    await db.kv.put({ key: CHAT_CUSTOMER_KEY, value: customerId });
  }
  async function currentChatCustomer(): Promise<string | undefined> {
    if (chatCustomer) return chatCustomer;
    const v = (await db.kv.get(CHAT_CUSTOMER_KEY))?.value;
    return typeof v === 'string' ? v : undefined;
  }

  /** The 分配 event to the team's group robots: best effort, each post (or its failure) recorded in the robots' log. */
  async function postToGroups(r: AssignResult): Promise<void> {
    await post(r.robotIds, 'assignment', { customer: r.customer, conversation: { receivedAt: r.assignment.at } }, 'assignment');
  }
  /** Queue posts of one event to these robots (durable: lib/notify/queue.ts), in the team's language. */
  async function post(robotIds: readonly string[] | undefined, event: NotifyEvent, context: MappingContext, source: string): Promise<void> {
    if (!robotIds?.length || !deps.groupPosts) return;
    const lang = (await getSettings(db)).language === 'en' ? 'en' : 'zh_CN';
    await deps.groupPosts.post(robotIds.map((robotId) => ({ robotId, event, context: context as Record<string, unknown>, lang, source })));
  }
  /** Auto mode (options → 团队与分配): a new or newly high-value customer without 负责人 gets one; its notices go out through the outbox. */
  async function maybeAutoAssign(customerId: string): Promise<void> {
    const r = await autoAssign(db, customerId, now());
    if (!r) return;
    await deps.changed(['customers', 'outbox', 'links']);
    if (r.queued.length) deps.sync.kick();
    if (r.robotIds.length) await postToGroups(r).catch(() => undefined);
  }

  type Deferred = () => Promise<unknown>;
  /** Writes left for after the answer: each one's loss costs a repeat lookup, so a failure is noted, not thrown. */
  async function runDeferred(writes: Deferred[]): Promise<void> {
    await Promise.all(
      writes.map((w) => w().catch((err: unknown) => console.warn('[liaison] deferred write failed:', err instanceof Error ? err.name : 'error'))),
    );
  }

  /** Chat pages report where a customer's conversation lives, for "open chat" from reminders. */
  async function rememberChat(ctx: RequestContext, customerId: string | undefined, conversationUrl?: string) {
    if (!customerId) return;
    if (ctx.context === 'content') {
      await noteChatCustomer(customerId);
      if (ctx.url) await rememberChatUrl(db, customerId, sameOrigin(conversationUrl, ctx.url) ? conversationUrl! : ctx.url);
      return;
    }
    // The sidebar framed in a chat tab acted: the chat is the one its tab last reported.
    const st = ctx.tabId !== undefined ? deps.tabs?.states.get(ctx.tabId) : undefined;
    if (!st?.conversation) return;
    await noteChatCustomer(customerId);
    if (st.url) await rememberChatUrl(db, customerId, st.url);
  }

  /** A view with the count of broadcast changes taken before it was read (see `tabs.changes`). */
  interface Seen {
    view: CustomerView;
    since: number | undefined;
  }
  const changesNow = () => deps.tabs?.changes();

  /**
   * What a chat page's report means: who it is, what was said (auto-logging, rules), what to
   * suggest. `shown` gets the view as soon as it is known, before the understanding step (the
   * sidebar is waiting to see who this is); the returned view is the final one, with suggestions.
   */
  async function observe(conversation: Conversation, ctx: RequestContext, shown?: (seen: Seen) => void): Promise<Seen> {
    noteConversation(conversation); // the routing strategy's category when this chat becomes a customer
    noteRuleConversation(conversation); // the latest customer message a rule's group notification quotes
    // Answer first, write after (issue 19): the first sight's mapping and observed identity are
    // written once the sidebar has the view.
    const after: Deferred[] = [];
    const since = changesNow();
    const view = await buildCustomerView(db, conversation, now(), { defer: (w) => after.push(w) });
    shown?.({ view, since });
    await runDeferred(after);
    await rememberChat(ctx, view.customer?.id, conversation.url);
    // Understanding is an extra: if it fails the sidebar still shows the customer.
    const understood = await deps.understanding?.observed(conversation, view).catch((err: unknown) => {
      console.warn('[liaison] understanding failed:', err instanceof Error ? err.name : 'error');
      return undefined;
    });
    if (!understood) return { view, since };
    if (understood.wrote) await deps.changed(['followUps', 'customers', 'deals', 'reminders']);
    // Auto-logging or a rule changed the customer: show the state after it.
    const freshSince = understood.wrote ? changesNow() : since;
    const fresh = understood.wrote ? await buildCustomerView(db, conversation, now()) : view;
    return { view: { ...fresh, suggestions: understood.suggestions }, since: freshSince };
  }

  return {
    ...createBulkHandlers(deps),
    ...createLeadHandlers(deps),
    ...createLeadCrmHandlers(deps),
    ...createCustomSiteHandlers(deps),
    ...createDiagnosticsHandlers(deps.diagnostics ?? browserDiagnosticsPort),
    // Group robots (lib/notify): the worker's own fetch, reaching hosts the user granted on save.
    ...robotHandlers(db, { fetch: (...a) => fetch(...a), now }),
    // 团队与分配 (lib/assign): 负责人, 客户指派 and 通知销售人员 through the outbox.
    ...assignHandlers(db, { now, changed: deps.changed, kick: () => deps.sync.kick(), postToGroups }),
    async 'strategy.get'() {
      return strategyView(db);
    },
    async 'strategy.save'({ strategy }) {
      const saved = await saveStrategyChecked(db, strategy);
      await deps.changed(['settings']);
      return { strategy: saved };
    },
    async 'mapping.get'({ connectionId }) {
      return mappingView(db, connectionId, deps.listFields);
    },
    async 'mapping.preview'({ connectionId, templates }) {
      return previewMapping(db, connectionId, templates, await currentChatCustomer());
    },
    async 'mapping.save'({ connectionId, templates }) {
      const r = await saveMapping(db, connectionId, templates, deps.listFields);
      await deps.changed(['connections']);
      return r;
    },
    async 'conversation.observed'({ conversation, health: h }, ctx) {
      // The sidebar framed in this tab is told, with the view, as soon as it is known (and again
      // when understanding added suggestions or wrote something): the page gets nothing back.
      const tabId = ctx.tabId;
      const report = tabId !== undefined ? deps.tabs?.states.reported(tabId) : undefined;
      const publish = ({ view, since }: Seen) => {
        if (!deps.tabs || tabId === undefined || report === undefined) return;
        // A later report of this tab (the user switched chats while this one was understood) has
        // been shown or will be: this one's view would put the chat the user left back beside them.
        if (!deps.tabs.states.isLatest(tabId, report)) return;
        const url = sameOrigin(conversation.url, ctx.url ?? '') ? conversation.url : ctx.url;
        const st = deps.tabs.states.set(tabId, { conversation, health: h ?? null, url });
        // Something was written while this view was read (the user created the customer while
        // understanding ran, a pull landed): the view may show what that replaced, and its newer
        // number would let it overwrite the sidebar's fresh one. Only say the tab reported.
        if (since !== deps.tabs.changes()) return deps.tabs.notify(tabId, st.seq);
        deps.tabs.notify(tabId, st.seq, { conv: { site: conversation.site, threadKey: conversation.threadKey }, view, health: h ?? null });
      };
      let first: CustomerView | undefined;
      const final = await observe(conversation, ctx, (seen) => {
        first = seen.view;
        publish(seen);
      });
      if (final.view !== first) publish(final);
      if (h) await noteHealth(h);
      return { ok: true as const };
    },
    async 'sidebar.state'({ reobserve }, ctx) {
      const tabId = ctx.tabId ?? null;
      const st = tabId !== null ? deps.tabs?.states.get(tabId) : undefined;
      if (tabId === null || !st) return unseenTab(tabId, deps.tabs?.toContent);
      if (ctx.frameId !== undefined) deps.tabs?.states.noteSidebar(tabId, ctx.frameId);
      const c = st.conversation;
      if (!c) return { tabId, seq: st.seq, conv: null, view: null, health: st.health };
      const conv = { site: c.site, threadKey: c.threadKey };
      let view: CustomerView;
      if (reobserve) view = (await observe(c, { context: 'content', tabId, url: st.url ?? '', site: c.site })).view;
      else {
        // From the whole conversation, not the bare ref: an unknown contact's candidates too.
        const after: Deferred[] = [];
        view = await buildCustomerView(db, c, now(), { defer: (w) => after.push(w) });
        void runDeferred(after);
        const suggestions = await deps.understanding?.forView(view).catch(() => undefined);
        if (suggestions) view = { ...view, suggestions };
      }
      // Older than a minute: read the customer back from the CRMs; the sidebar refreshes when it lands.
      if (view.customer && deps.team) void deps.team.pullIfStale(view.customer.id).catch(() => undefined);
      return { tabId, seq: st.seq, conv, view, health: st.health };
    },
    async 'sidebar.layout'({ collapsed }, ctx) {
      if (ctx.tabId !== undefined) deps.tabs?.toContent(ctx.tabId, { liaison: 1, event: 'sidebar.layout', collapsed });
      return { ok: true as const };
    },
    async 'customer.create'({ conv, fields }, ctx) {
      const category = categoryOf(conv, now(), (await getSettings(db)).products);
      const created = await createCustomer(db, { conv, fields, category }, now());
      await rememberChat(ctx, conv ? created.id : undefined);
      await deps.changed(['customers', 'identities', 'links', 'reminders']);
      await maybeAutoAssign(created.id);
      const customer = (await db.customers.get(created.id)) ?? created;
      // Seed 004's parallel strategy: also post the new lead to the team group.
      await post((await getStrategy(db)).groupPosts?.newLead, 'newLead', { customer, conversation: { ...(conv ? { site: conv.site } : {}), receivedAt: now() } }, 'strategy').catch(() => undefined);
      return { customer };
    },
    async 'customer.link'({ conv, customerId }, ctx) {
      await linkCustomer(db, conv, customerId, now());
      await rememberChat(ctx, customerId);
      await deps.changed(['identities']);
      return { ok: true as const };
    },
    async 'customer.unlink'({ conv }) {
      await unlinkCustomer(db, conv);
      await deps.changed(['identities']);
      return { ok: true as const };
    },
    async 'customer.update'({ customerId, patch }) {
      const updated = await updateCustomer(db, customerId, patch, now());
      await deps.changed(['customers', 'reminders']);
      await maybeAutoAssign(customerId);
      return { customer: (await db.customers.get(customerId)) ?? updated };
    },
    async 'customer.search'({ query, limit }) {
      const found = await searchCustomers(db, query, limit);
      return {
        results: found.map((c) => ({ id: c.id, code: c.code, name: c.name, company: c.company, phones: c.phones, stage: c.stage, matchedBy: ['search'] })),
      };
    },
    async 'followUp.log'({ customerId, followUp }) {
      // 跟进人: the salesperson's name from settings, so colleagues reading the CRM see who logged it.
      const by = (await getSettings(db)).userName || undefined;
      const row = await logFollowUp(db, customerId, followUp, now(), by);
      await deps.clearReminderNotification(customerId);
      await deps.changed(['followUps', 'customers', 'reminders']);
      return { followUp: row };
    },
    async 'reminder.done'({ customerId }) {
      await markDone(db, customerId, now());
      await deps.clearReminderNotification(customerId);
      await deps.changed(['reminders', 'customers']);
      return { ok: true as const };
    },
    async 'reminder.snooze'({ customerId, minutes }) {
      const settings = await getSettings(db);
      await snooze(db, customerId, minutes ?? settings.snoozeMinutes, now());
      await deps.clearReminderNotification(customerId);
      await deps.changed(['reminders']);
      return { ok: true as const };
    },
    async 'dashboard.get'() {
      return buildDashboard(db, now());
    },
    async 'chat.open'({ customerId }) {
      return { opened: await deps.openChat(customerId) };
    },
    async 'settings.get'() {
      return getSettings(db);
    },
    async 'settings.save'({ settings }) {
      const saved = await saveSettings(db, settings);
      await deps.changed(['settings']);
      return saved;
    },
    async 'data.export'() {
      return exportAll(db, now());
    },
    async 'data.import'({ json, mode }) {
      let counts;
      try {
        counts = await importAll(db, json, mode, now(), (p) => (importProgress = p));
      } finally {
        importProgress = null;
      }
      await deps.changed(['customers', 'identities', 'links', 'followUps', 'deals', 'reminders', 'connections', 'settings']);
      return { counts };
    },
    async 'data.importProgress'() {
      return { progress: importProgress };
    },
    async 'connection.list'() {
      return { connections: await listConnections(db) };
    },
    async 'connection.save'({ draft }) {
      const resolved = await resolveDraft(db, draft, now());
      await saveConnection(db, resolved);
      await deps.changed(['connections']);
      deps.sync.kick();
      const view = (await listConnections(db)).find((c) => c.id === resolved.connection.id);
      if (!view) throw new MessageError('internal', 'the connection was not saved');
      return { connection: view };
    },
    async 'connection.test'({ draft }) {
      const { connection, secrets } = await resolveDraft(db, draft, now());
      return deps.verifyConnection(connection, secrets);
    },
    async 'connection.choices'({ id, field }) {
      const connection = await db.connections.get(id);
      if (!connection) throw new MessageError('not-found', `no such connection: ${id}`);
      return { choices: (await deps.fieldChoices?.(connection, field)) ?? [] };
    },
    async 'connection.prepare'({ id }) {
      const connection = await db.connections.get(id);
      if (!connection) throw new MessageError('not-found', `no such connection: ${id}`);
      const result = await deps.prepareConnection(connection);
      await db.connections.update(id, { settings: { ...connection.settings, ...result.settings } });
      await deps.changed(['connections']);
      return { created: result.created, problems: result.problems, usable: result.usable };
    },
    async 'connection.oauth'({ id }) {
      if (!deps.connectOAuth) throw new MessageError('invalid', 'OAuth sign-in is not available here');
      try {
        return await deps.connectOAuth(id);
      } finally {
        // Even a failed verify may have stored a grant: the options page re-reads storedSecrets.
        await deps.changed(['connections']);
        deps.sync.kick();
      }
    },
    async 'connection.setEnabled'({ id, enabled }) {
      await setConnectionEnabled(db, id, enabled);
      await deps.changed(['connections']);
      if (enabled) deps.sync.kick();
      return { ok: true as const };
    },
    async 'connection.remove'({ id }) {
      await removeConnection(db, id);
      await deps.changed(['connections', 'links', 'outbox']);
      return { ok: true as const };
    },
    async 'crm.candidates'({ conv }) {
      if (!deps.team) return { candidates: [], searched: [] };
      const view = await buildCustomerView(db, conv, now());
      if (view.identity.weakKey) return { candidates: [], searched: [] };
      return deps.team.candidates(view.identity);
    },
    async 'crm.linkRemote'({ conv, connectionId, remoteId }, ctx) {
      if (!deps.team) throw new MessageError('invalid', 'no CRM connected');
      const view = await buildCustomerView(db, conv, now());
      // A chat known only by its title is never linked (identity/space.ts): the same rule as customer.link.
      if (view.identity.weakKey) throw new MessageError('invalid', '这个聊天还没有可靠的标识，暂不能关联 / this chat has no reliable id yet');
      const customer = await deps.team.linkRemote(conv, connectionId, remoteId);
      await rememberChat(ctx, customer.id);
      return { customer };
    },
    async 'crm.pullCustomer'({ customerId }) {
      if (!deps.team) return { ok: true as const, errors: [] };
      if (!(await db.customers.get(customerId))) throw new MessageError('not-found', `no such customer: ${customerId}`);
      return { ok: true as const, errors: await deps.team.pullNow(customerId) };
    },
    async 'conflict.restore'({ customerId, connectionId, field, at }) {
      if (!deps.team) throw new MessageError('invalid', 'no CRM connected');
      const customer = await deps.team.restoreConflict(customerId, connectionId, field, at);
      await deps.changed(['customers', 'links', 'outbox', 'reminders']);
      return { customer };
    },
    async 'conflict.dismiss'({ customerId, connectionId, field }) {
      if (!deps.team) return { ok: true as const };
      await deps.team.dismissConflict(customerId, connectionId, field);
      return { ok: true as const };
    },
    async 'sync.retry'({ customerId, connectionId }) {
      const count = await deps.sync.retryNow({ customerId, connectionId });
      await deps.changed(['outbox', 'links']);
      return { count };
    },
    async 'sync.health'() {
      return deps.sync.health();
    },
    async 'sync.entries'({ connectionId }) {
      const at = now();
      const found = (await syncHealth(db, at)).find((h) => h.connectionId === connectionId);
      if (!found) throw new MessageError('not-found', `no such CRM connection: ${connectionId}`);
      const { entries, total } = await connectionEntries(db, connectionId, at);
      return { health: found, entries, total };
    },
    async 'sync.retryEntry'({ entryId }) {
      entryDone(await retryEntry(db, entryId, now()));
      await deps.changed(['outbox', 'links']);
      deps.sync.kick();
      return { ok: true as const };
    },
    async 'sync.discardEntry'({ entryId }) {
      entryDone(await discardEntry(db, entryId));
      await deps.changed(['outbox', 'links']);
      return { ok: true as const };
    },
    async 'health.report'({ health: h }, ctx) {
      if (h.site !== ctx.site) throw new MessageError('forbidden', 'a page reports only its own site');
      await noteHealth(h);
      // The tab shows no readable conversation: its sidebar says why.
      if (deps.tabs && ctx.tabId !== undefined) {
        deps.tabs.states.reported(ctx.tabId); // a report still being understood is overtaken
        const st = deps.tabs.states.set(ctx.tabId, { conversation: null, health: h, url: ctx.url });
        deps.tabs.notify(ctx.tabId, st.seq);
      }
      return { ok: true as const };
    },
    async 'health.get'() {
      const stored = await db.kv.where('key').startsWith('readerHealth:').toArray();
      const bySite = new Map<string, ReaderHealth & { at: number }>();
      for (const row of stored) {
        const parsed = readerHealthSchema.extend({ at: z.number() }).safeParse(row.value);
        if (parsed.success) bySite.set(parsed.data.site, parsed.data);
      }
      for (const [site, h] of health) bySite.set(site, h); // the newest, in memory
      return { sites: [...bySite.values()] };
    },
    async 'deal.create'({ customerId, deal }) {
      const row = await createDeal(db, customerId, deal, now());
      await deps.changed(['deals', 'customers', 'outbox']);
      return { deal: row };
    },
    async 'ticket.create'({ customerId, ticket }) {
      const row = await createTicket(db, customerId, ticket, now());
      await deps.changed(['tickets', 'links', 'outbox']);
      deps.sync.kick();
      const customer = await db.customers.get(customerId);
      const said = [...row.messages].reverse().find((m) => m.from === 'customer')?.text;
      const conversation = { category: row.category, priority: row.priority, lastMessage: said ?? row.subject, receivedAt: row.createdAt };
      await post((await getStrategy(db)).groupPosts?.ticket, 'complaint', { ...(customer ? { customer } : {}), conversation }, 'strategy').catch(() => undefined);
      return { ticket: row };
    },
    async 'ticket.list'({ customerId }) {
      return { tickets: await ticketViews(db, customerId) };
    },
    async 'ticket.setStatus'({ customerId, ticketId, status }) {
      const row = await setTicketStatus(db, customerId, ticketId, status, now());
      await deps.changed(['tickets']);
      return { ticket: row };
    },
    async 'autolog.never'({ customerId, never }) {
      await setNeverLog(db, customerId, never);
      await deps.changed(['settings']);
      return { ok: true as const };
    },
    async 'understanding.get'() {
      return getUnderstandingView(db);
    },
    async 'understanding.save'({ config, apiKey }) {
      const view = await saveUnderstandingConfig(db, config, apiKey);
      await deps.changed(['settings']);
      return view;
    },
    async 'llm.test'({ llm, apiKey }) {
      if (!llm.baseUrl || !llm.model) throw new MessageError('invalid', '请填写地址和模型 / base URL and model are required');
      const key = apiKey?.trim() || (await llmApiKey(db));
      try {
        return await testLlm(llm, key);
      } catch (err) {
        throw new MessageError('invalid', `LLM: ${err instanceof Error ? err.message : 'failed'}`);
      }
    },
  };
}

/** The sync-health page's per-entry actions: a row that moved on meanwhile is refused with the reason. */
function entryDone(r: EntryActionResult): void {
  if (r.ok) return;
  if (r.reason === 'not-found') throw new MessageError('not-found', 'this sync entry no longer exists');
  throw new MessageError('conflict', `this sync entry is ${r.state ?? 'not in a state to change'} now`);
}

