// The service worker's services (issue 19, item 4): everything the start bundle does not need to
// answer its first reads (entrypoints/background/index.ts): the outbox and its adapters, pulls,
// reminders, rules and understanding, group robots, strategies, imports and reports, and every
// message handler but the start's. In the services chunk (lib/background-start/boundary.ts): the
// start loads it on the first message or alarm that needs it, and in its housekeeping right after
// the waking event, so an idle worker's next wake still starts light.
import { browser } from 'wxt/browser';
import type { LiaisonDb } from '@/lib/db/db';
import type { Handlers } from '@/lib/messaging/router';
import { createReminderController } from '@/lib/reminders/controller';
import { computeReport } from '@/lib/stats/report';
import { weekRange } from '@/lib/stats/time';
import { reminderTexts } from '@/lib/reminders/texts';
import { getSettings } from '@/lib/settings/store';
import { pickLocale } from '@/lib/i18n';
import { alarmsPort, notificationsPort } from './browser-ports';
import { broadcastChanged, broadcastTab, changesBroadcast } from './broadcast';
import { createChatOpener } from './chat-opener';
import { createHandlers } from './handlers';
import type { TabStates } from './tab-state';
import { createAdapterCache } from './adapter-cache';
import { createSyncWorker, syncHealth } from '@/lib/sync';
import { adapterFor } from '@/lib/crm/adapters';
import { CrmError } from '@/lib/crm/errors';
import { MessageError } from '@/lib/messaging/router';
import { createUnderstandingEngine } from '@/lib/suggest/engine';
import { createDeal } from '@/lib/customers/deal';
import { updateCustomer } from '@/lib/customers/update';
import { leadPorts } from './leads';
import type { CustomSitePorts } from '@/lib/custom-sites/handlers';
import { connectOAuth, mergeSecrets } from '@/lib/connections/oauth';
import { createStrategyRunner } from '@/lib/strategy/runner';
import { createTeam } from '@/lib/sync/team';
import { syncJiraUserAgent, type SessionRulesPort } from './jira-user-agent';
import { createGroupPoster } from '@/lib/notify/queue';
import { autoAssign } from '@/lib/assign/assign';

const SYNC_ALARM = 'liaison.sync';
/** Writes auto-log windows that went quiet while their chat was closed. */
const AUTOLOG_ALARM = 'liaison.autolog';
/** The periodic pull of the connected CRMs (settings.pullMinutes; seed 003's scheduler). */
const PULL_ALARM = 'liaison.pull';
/** Retries of queued group-robot posts (lib/notify/queue.ts). */
const NOTIFY_ALARM = 'liaison.notify';

/** What the start hands over: its database, clock, custom sites and chat tabs. */
export interface ServicesDeps {
  db: LiaisonDb;
  now(): number;
  /** The local CRM's row, ensured by the start on every wake. */
  localConnection: Promise<void>;
  customSites: CustomSitePorts;
  tabStates: TabStates;
}

export interface Services {
  /** Every message's handler (the start answers a few reads itself: ./handlers-start.ts). */
  handlers: Handlers;
  onAlarm(name: string): Promise<unknown>;
  onNotificationClick(id: string): Promise<unknown>;
  onNotificationButton(id: string, index: number): Promise<unknown>;
  /** Send what the outbox holds (back online, a change). */
  kickSync(): void;
  /** Every start's housekeeping, after the waking event (./housekeeping.ts). */
  housekeep(): void;
}

export function createServices({ db, now, localConnection, customSites, tabStates }: ServicesDeps): Services {
  // Jira's XSRF filter refuses a browser User-Agent: a session rule per connected Jira site sets Liaison's own (jira-user-agent.ts).
  const jiraUserAgent = async (): Promise<void> => {
    const dnr = (browser as unknown as { declarativeNetRequest?: SessionRulesPort }).declarativeNetRequest;
    if (!dnr) return;
    await syncJiraUserAgent(dnr, await db.connections.toArray(), new URL(browser.runtime.getURL('/')).hostname).catch((err: unknown) => console.warn('[liaison] jira user-agent rule:', err instanceof Error ? err.message : 'error'));
  };
  const chat = createChatOpener(db);

  const reminders = createReminderController({
    db,
    alarms: alarmsPort,
    notifications: notificationsPort,
    chat,
    clock: { now },
    getSettings: () => getSettings(db),
    // Called only from an alarm, long after `adapters` and `team` below exist.
    beforeDigest: () => adapters.ready().then(() => team.pullAll()),
    texts: async () => reminderTexts(pickLocale((await getSettings(db)).language, browser.i18n.getUILanguage())),
    onChanged: () => void broadcastChanged(['reminders', 'customers']),
    openPopup: async () => {
      await browser.tabs.create({ url: browser.runtime.getURL('/popup.html') });
    },
    // Seed 000's 每周统计: last week's headline numbers; a click opens the report.
    weeklyReport: async (at) => {
      const tz = Intl.DateTimeFormat().resolvedOptions().timeZone || 'Asia/Shanghai';
      const settings = await getSettings(db);
      const range = weekRange(at - 7 * 86_400_000, tz);
      const { headline: h } = await computeReport(db, { from: range.from, to: range.to, tz, stages: settings.stages, products: settings.products, now: at });
      const zh = pickLocale(settings.language, browser.i18n.getUILanguage()) === 'zh_CN';
      return zh
        ? { title: '联络 · 上周报表', message: `新增客户 ${h.newCustomers} · 跟进 ${h.followUps} 次 · 成交 ${h.dealsClosed} 笔（${h.dealAmount.toLocaleString('zh-CN')}）· 逾期未跟进 ${h.missed}` }
        : { title: 'Liaison · last week', message: `${h.newCustomers} new customers · ${h.followUps} follow-ups · ${h.dealsClosed} deals (${h.dealAmount.toLocaleString('en')}) · ${h.missed} follow-ups missed` };
    },
    openReport: async () => {
      await browser.tabs.create({ url: browser.runtime.getURL('/options.html#lzo-reports') });
    },
  });

  const adapters = createAdapterCache(db, now);
  const sync = createSyncWorker({
    db,
    now,
    adapterFor: (connection) => adapters.get(connection),
    onChanged: (tables) => {
      void broadcastChanged(tables);
      // primary-backup: failover and sync-back look at what the worker just recorded.
      strategyRunner.trigger();
    },
    schedule: async (at) => {
      await browser.alarms.create(SYNC_ALARM, { when: Math.max(at, now() + 1000) });
    },
    onError: (err) => console.warn('[liaison] sync:', err instanceof Error ? err.name : 'error'),
    // One service worker at a time: a fresh one recovers the dead one's claims at once.
    options: { singleInstance: true },
  });
  const kickSync = () => void adapters.ready().then(() => sync.kick());
  const team = createTeam({
    db,
    now,
    adapterFor: (c) => adapters.get(c),
    changed: async (tables) => {
      await Promise.all([broadcastChanged(tables), reminders.reschedule()]);
    },
    kick: kickSync,
  });
  /** The pull alarm follows the setting (re-created when it changes; Chrome's minimum period is 30 s). */
  const armPull = async () => {
    const minutes = (await getSettings(db)).pullMinutes;
    const existing = await browser.alarms.get(PULL_ALARM);
    if (existing?.periodInMinutes !== minutes) await browser.alarms.create(PULL_ALARM, { periodInMinutes: minutes, delayInMinutes: Math.min(1, minutes) });
  };
  const strategyRunner = createStrategyRunner({
    db,
    now,
    async probe(connectionId) {
      const c = await db.connections.get(connectionId);
      const adapter = c ? adapters.get(c) : undefined;
      if (!adapter) return false;
      await adapter.verify();
      return true;
    },
    onWrote: (tables) => {
      void broadcastChanged(tables);
      kickSync();
    },
    // Nothing else would look at a primary whose entries are all failed: check again in a minute.
    // Only ever earlier: the alarm is shared with the worker, whose own wake-up (a backoff retry
    // for the backup, say) must not be pushed back to a minute from now.
    onActive: () =>
      void (async () => {
        const at = now() + 60_000;
        const existing = await browser.alarms.get(SYNC_ALARM);
        if (!existing || existing.scheduledTime > at) await browser.alarms.create(SYNC_ALARM, { when: at });
      })(),
    onError: (err) => console.warn('[liaison] strategy:', err instanceof Error ? err.name : 'error'),
  });
  const groupPosts = createGroupPoster({
    db,
    now,
    fetch: (...a) => fetch(...a),
    schedule: async (at) => void (await browser.alarms.create(NOTIFY_ALARM, { when: Math.max(at, now() + 1000) })),
  });
  const understanding = createUnderstandingEngine({
    db,
    now,
    async changed(tables) {
      await Promise.all([broadcastChanged(tables), reminders.reschedule()]);
      kickSync();
    },
    effects: (customerId) => ({
      async createDeal(input) {
        await createDeal(db, customerId, input, now());
      },
      async updateCustomer(patch) {
        await updateCustomer(db, customerId, patch, now());
        // A rule that raised 意向等级 may make the customer high-value: auto assignment (lib/assign) then picks a 负责人.
        if ((await autoAssign(db, customerId, now()))?.queued.length) kickSync();
      },
      async notify(title, message) {
        await browser.notifications.create(`rule:${customerId}:${now()}`, {
          type: 'basic',
          iconUrl: browser.runtime.getURL('/icon/128.png'),
          title,
          message,
        });
      },
      // Queued (lib/notify/queue.ts): sent at once, retried on the robot's temporary refusals, each outcome in the robot's log.
      async notifyGroup(robotId, event, context) {
        const lang = (await getSettings(db)).language === 'en' ? 'en' : 'zh_CN';
        await groupPosts.post([{ robotId, event, context: context as Record<string, unknown>, lang, source: 'rule' }]);
      },
    }),
  });
  const language = async () => pickLocale((await getSettings(db)).language, browser.i18n.getUILanguage());
  /** A CRM failure shown to the user says why in their language: wrong password, host unreachable, missing scope… */
  async function explainCrmErrors<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if (err instanceof CrmError) {
        const lang = await language();
        throw new MessageError(err.kind === 'auth' ? 'forbidden' : 'invalid', `${err.userMessage[lang]} (${err.message})`);
      }
      throw err;
    }
  }

  const handlers = createHandlers({
    db,
    now,
    groupPosts,
    team: {
      ...team,
      // Behind adapters.ready(): a fresh service worker loads the connections' secrets first.
      candidates: async (identity) => (await adapters.ready(), team.candidates(identity)),
      linkRemote: async (conv, connectionId, remoteId) => (await adapters.ready(), team.linkRemote(conv, connectionId, remoteId)),
      pullNow: async (customerId, o) => (await adapters.ready(), team.pullNow(customerId, o)),
      pullIfStale: async (customerId) => (await adapters.ready(), team.pullIfStale(customerId)),
    },
    async changed(tables) {
      if (tables.includes('connections')) await Promise.all([adapters.reload(), jiraUserAgent()]);
      if (tables.includes('settings')) void armPull();
      await Promise.all([broadcastChanged(tables), reminders.reschedule()]);
      // Local changes queue outbox entries in the same transaction: send them now.
      kickSync();
    },
    async verifyConnection(connection, secrets) {
      // A test that had to refresh an expired token keeps the new one (saved connections only).
      const onSecrets = async (patch: Record<string, string>) => void (await mergeSecrets(db, connection.id, patch));
      const adapter = adapterFor(connection.kind, { db, connection, secrets, now, onSecrets });
      if (!adapter) throw new MessageError('invalid', `unknown CRM: ${connection.kind}`);
      return explainCrmErrors(() => adapter.verify({ signal: AbortSignal.timeout(20_000) }));
    },
    async connectOAuth(id) {
      return explainCrmErrors(async () => {
        const connection = await connectOAuth(db, id, {
          // Interactive: this runs from the user's click in options (the message keeps the worker alive).
          launch: (url, interactive) => browser.identity.launchWebAuthFlow({ url, interactive }).then((u) => u ?? ''),
          redirectUri: browser.identity.getRedirectURL(),
          now,
        });
        // The new grant replaces the adapter built with the old (or no) tokens.
        await adapters.reload();
        const adapter = adapters.get(connection);
        if (!adapter) throw new MessageError('invalid', `unknown CRM: ${connection.kind}`);
        return adapter.verify({ signal: AbortSignal.timeout(20_000) });
      });
    },
    async fieldChoices(connection, field) {
      await adapters.ready();
      const adapter = adapters.get(connection);
      if (!adapter?.fieldChoices) return undefined;
      return explainCrmErrors(() => adapter.fieldChoices!(field, { signal: AbortSignal.timeout(20_000) }));
    },
    async listFields(connection) {
      await adapters.ready();
      const adapter = adapters.get(connection);
      if (!adapter?.listFields) return undefined;
      return explainCrmErrors(() => adapter.listFields!({ signal: AbortSignal.timeout(20_000) }));
    },
    async prepareConnection(connection) {
      await adapters.ready();
      const adapter = adapters.get(connection);
      if (!adapter?.prepare) throw new MessageError('invalid', `${connection.kind} has nothing to prepare`);
      return explainCrmErrors(() => adapter.prepare!({ signal: AbortSignal.timeout(60_000) }));
    },
    sync: {
      kick: kickSync,
      retryNow: async (filter) => {
        await adapters.ready();
        const n = await sync.retryNow(filter);
        return n;
      },
      health: async () => ({
        connections: (await syncHealth(db, now())).map((h) => ({
          connectionId: h.connectionId,
          queued: h.queued + h.inflight,
          failed: h.failed,
          ...(h.lastSuccessAt !== undefined ? { lastSuccessAt: h.lastSuccessAt } : {}),
          ...(h.lastError !== undefined ? { lastError: h.lastError } : {}),
          ...(h.lastPullAt !== undefined ? { lastPullAt: h.lastPullAt } : {}),
          ...(h.lastPullError !== undefined ? { lastPullError: h.lastPullError } : {}),
          breaker: h.breaker.state,
        })),
      }),
    },
    openChat: (customerId) => chat.open(customerId),
    clearReminderNotification: async (customerId) => {
      await notificationsPort.clear(`reminder:${customerId}`);
    },
    understanding,
    leads: leadPorts,
    customSites,
    tabs: {
      states: tabStates,
      // Extension pages only (never content scripts): the tab's sidebar re-reads.
      notify: (tabId, seq, state) => void broadcastTab(tabId, seq, state),
      // The tab's top frame only: the chat page's content script, never a frame inside it.
      toContent: (tabId, event) => void browser.tabs.sendMessage(tabId, event, { frameId: 0 }).catch(() => undefined),
      changes: changesBroadcast,
    },
  });

  async function onAlarm(name: string): Promise<unknown> {
    if (name === SYNC_ALARM) return adapters.ready().then(() => sync.runOnce()).then(() => strategyRunner.trigger());
    if (name === PULL_ALARM)
      return adapters
        .ready()
        .then(() => team.pullAll())
        .catch((err: unknown) => console.warn('[liaison] pull:', err instanceof Error ? err.name : 'error'));
    if (name === NOTIFY_ALARM) return groupPosts.drain().catch((err: unknown) => console.warn('[liaison] group posts:', err instanceof Error ? err.name : 'error'));
    if (name === AUTOLOG_ALARM) return understanding.flushDue().catch((err: unknown) => console.warn('[liaison] autolog:', err instanceof Error ? err.name : 'error'));
    return reminders.onAlarm(name);
  }
  // Every start: (the local CRM exists,) the alarms are re-created, reminders missed while the
  // browser was closed fire, and a killed worker's claims are taken back; after the event that
  // woke the worker (housekeeping.ts), which then has the thread and the database to itself.
  function housekeep(): void {
    void jiraUserAgent();
    void localConnection.then(() => {
      void reminders.onStartup();
      // Takes back claims of a worker that was killed mid-call (once they expire) and re-arms the alarm.
      kickSync();
      // A periodic sweep: pending auto-log windows close by time, not by any event.
      void browser.alarms.create(AUTOLOG_ALARM, { periodInMinutes: 5 });
      void armPull();
      // Group posts queued before the worker stopped go now (or at their retry time).
      void groupPosts.drain().catch(() => undefined);
    });
  }

  return {
    handlers,
    onAlarm,
    onNotificationClick: (id) => reminders.onClick(id),
    onNotificationButton: (id, index) => reminders.onButton(id, index),
    kickSync,
    housekeep,
  };
}
