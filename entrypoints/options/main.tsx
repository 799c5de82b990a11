// The options page: customer-code format, stages and enums, reminders, privacy, language, data.
import '@/components/options/options.css';
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { Options } from '@/components/options/Options';
import { pickLocale } from '@/lib/i18n';
import { createPageT } from '@/lib/i18n/pages';
import { onChanged, send } from '@/lib/messaging/client';
import { createNewest, SUPERSEDED } from '@/lib/messaging/newest';
import type { Settings } from '@/lib/model';
import { crmSpecs, findSpec } from '@/lib/crm/registry';
import { hostPatternsFor, type CrmSpec } from '@/lib/crm/spec';
import type { ConnectionDraft, ConnectionView } from '@/lib/connections/views';
import type { ConnectionHealth } from '@/components/options/ConnectionsSection';
import type { T } from '@/lib/i18n';
import { CustomersPanel, ImportExportPanel, MappingPanel, ReportsPanel, SitesPanel, StrategyPanel, AssignmentPanel } from './sections';
import { CustomSitesPanel } from './custom-sites-panel';
import type { UnderstandingView } from '@/lib/suggest/config';
import { readers } from '@/lib/readers/registry';
import { robotKind } from '@/lib/notify/registry';
import type { Robot } from '@/lib/notify/settings';
import type { RobotView } from '@/lib/notify/store';
import type { NoticeEntry } from '@/lib/notify/log';

/** Display names of the site readers (ids are lib/readers/registry.ts's). */
const SITE_NAMES: Record<string, string> = { demo: 'Demo', whatsapp: 'WhatsApp Web', 'telegram-k': 'Telegram (K)', 'telegram-a': 'Telegram (A)', feishu: '飞书 / Lark', linkedin: 'LinkedIn' };

/** The LLM endpoint's origin, asked for from the user's click only when they configure one. */
async function grantLlmHost(t: T, baseUrl: string): Promise<void> {
  if (!baseUrl) return;
  const u = new URL(baseUrl);
  const origin = `${u.protocol}//${u.hostname}/*`;
  const granted = await browser.permissions.request({ origins: [origin] });
  if (!granted) throw new Error(t('und.llm.permissionDenied', { host: u.hostname }));
}

/**
 * Ask for the CRM's host (only that host) from the user's click, before the background saves.
 * Chrome answers at once when it is already granted (the loopback emulators, for instance).
 */
async function grantHosts(t: T, draft: ConnectionDraft): Promise<void> {
  const spec = findSpec(draft.kind) as CrmSpec | undefined;
  if (!spec) return;
  const origins = hostPatternsFor(spec, draft.settings);
  if (origins.length === 0) return;
  const granted = await browser.permissions.request({ origins });
  if (!granted) throw new Error(t('conn.permissionDenied', { hosts: origins.join(', ') }));
}

/**
 * "Connect" for an oauth2-pkce connection: the login host and the API hosts (Salesforce's
 * instance only arrives with the tokens, when no click is left to ask from) are requested now.
 */
async function grantOAuthHosts(t: T, connection: ConnectionView): Promise<void> {
  await grantHosts(t, { kind: connection.kind, name: connection.name, enabled: connection.enabled, settings: connection.settings, secrets: {} });
}

/** The callback URL the user's connected app must list (https://<extension id>.chromiumapp.org/). */
function oauthRedirectUrl(): string | undefined {
  try {
    return browser.identity?.getRedirectURL();
  } catch {
    return undefined; // a browser without the identity API: the form simply omits the line
  }
}

/**
 * A robot's webhook host (open.feishu.cn, oapi.dingtalk.com…), asked for in the click that saves
 * it: permissions.request must be called before anything is awaited or Chrome refuses it.
 */
function grantRobotHost(t: T, robot: Robot): Promise<void> {
  const origins = [...robotKind(robot.kind).hostPermissions];
  return browser.permissions.request({ origins }).then((granted) => {
    if (!granted) throw new Error(t('conn.permissionDenied', { hosts: origins.join(', ') }));
  });
}

function download(filename: string, json: string) {
  const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function App() {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [connections, setConnections] = useState<ConnectionView[]>([]);
  const [health, setHealth] = useState<Record<string, ConnectionHealth>>({});
  const [understanding, setUnderstanding] = useState<UnderstandingView | null>(null);
  const [robots, setRobots] = useState<{ robots: RobotView[]; log: NoticeEntry[] } | null>(null);
  const loadRobots = () =>
    send('robot.list', {})
      .then(setRobots)
      .catch((err: Error) => setError(err.message));
  const loadUnderstanding = () =>
    send('understanding.get', {})
      .then(setUnderstanding)
      .catch((err: Error) => setError(err.message));
  const [error, setError] = useState<string | undefined>();
  const t = useMemo(() => createPageT(pickLocale(settings?.language ?? 'auto', browser.i18n.getUILanguage())), [settings?.language]);
  const load = () =>
    send('settings.get', {})
      .then(setSettings)
      .catch((err: Error) => setError(err.message));
  // Re-asked on every outbox change while a sync runs: an answer read before a later one is dropped.
  const newestConnections = useMemo(createNewest, []);
  const loadConnections = () =>
    newestConnections(Promise.all([send('connection.list', {}), send('sync.health', {})]))
      .then((answer) => {
        if (answer === SUPERSEDED) return;
        const [list, h] = answer;
        setConnections(list.connections);
        setHealth(Object.fromEntries(h.connections.map((c) => [c.connectionId, c])));
      })
      .catch((err: Error) => setError(err.message));
  useEffect(() => {
    void load();
    void loadConnections();
    void loadUnderstanding();
    void loadRobots();
    return onChanged((e) => {
      if (e.tables.includes('settings')) void load();
      if (e.tables.some((name) => ['connections', 'links', 'outbox'].includes(name))) void loadConnections();
    });
  }, []);
  if (!settings) return <p class="loading">{error ?? '…'}</p>;
  return (
    <Options
      t={t}
      settings={settings}
      now={Date.now()}
      onDownload={download}
      actions={{
        save: async (s) => setSettings(await send('settings.save', { settings: s })),
        exportData: () => send('data.export', {}),
        importData: async (json, mode) => (await send('data.import', { json, mode })).counts,
        importProgress: async () => (await send('data.importProgress', {})).progress,
      }}
      panels={[
        { id: 'strategy', node: <StrategyPanel t={t} /> },
        { id: 'assignment', node: <AssignmentPanel t={t} /> },
        { id: 'mapping', node: <MappingPanel t={t} /> },
        { id: 'reports', node: <ReportsPanel t={t} /> },
        { id: 'customers', node: <CustomersPanel t={t} settings={settings} /> },
        { id: 'importExport', node: <ImportExportPanel t={t} settings={settings} /> },
        { id: 'sites', node: <SitesPanel t={t} /> },
        { id: 'customSites', node: <CustomSitesPanel locale={t.locale} onDownload={download} /> },
      ]}
      {...(understanding
        ? {
            understanding: {
              view: understanding,
              sites: readers.map((r) => ({ id: r.id, name: SITE_NAMES[r.id] ?? r.id })),
              connections: connections.map((c) => ({ id: c.id, name: c.name })),
              stages: settings.stages,
              robots: (robots?.robots ?? []).map((r) => ({ id: r.id, name: r.name })),
              actions: {
                async save(config, apiKey) {
                  if (config.llm.enabled) await grantLlmHost(t, config.llm.baseUrl);
                  setUnderstanding(await send('understanding.save', { config, ...(apiKey !== undefined ? { apiKey } : {}) }));
                },
                async test(llm, apiKey) {
                  await grantLlmHost(t, llm.baseUrl);
                  return send('llm.test', { llm, ...(apiKey ? { apiKey } : {}) });
                },
              },
            },
          }
        : {})}
      {...(robots
        ? {
            robots: {
              robots: robots.robots,
              log: robots.log,
              newId: () => `robot-${crypto.randomUUID()}`,
              actions: {
                save(robot, secret) {
                  // The permission prompt first, in this click; then the background saves.
                  const granted = grantRobotHost(t, robot);
                  return granted.then(async () => {
                    await send('robot.save', { robot, ...(secret !== undefined ? { secret } : {}) });
                    await loadRobots();
                  });
                },
                async test(id) {
                  await send('robot.test', { id, lang: t.locale === 'zh_CN' ? 'zh_CN' : 'en' });
                  await loadRobots();
                },
                async setEnabled(id, enabled) {
                  await send('robot.setEnabled', { id, enabled });
                  await loadRobots();
                },
                async remove(id) {
                  await send('robot.remove', { id });
                  await loadRobots();
                },
              },
            },
          }
        : {})}
      connections={{
        specs: crmSpecs as readonly CrmSpec[],
        connections,
        health,
        ...(oauthRedirectUrl() ? { oauthRedirectUrl: oauthRedirectUrl()! } : {}),
        healthHref: (id) => `${browser.runtime.getURL('/')}sync-health.html?connection=${encodeURIComponent(id)}`,
        actions: {
          async oauth(connection) {
            await grantOAuthHosts(t, connection);
            const r = await send('connection.oauth', { id: connection.id });
            await loadConnections();
            return r;
          },
          async save(draft) {
            await grantHosts(t, draft);
            await send('connection.save', { draft });
            await loadConnections();
          },
          async test(draft) {
            await grantHosts(t, draft);
            return send('connection.test', { draft });
          },
          choices: async (id, field) => (await send('connection.choices', { id, field })).choices,
          async prepare(id) {
            const r = await send('connection.prepare', { id });
            await loadConnections();
            return r;
          },
          async setEnabled(id, enabled) {
            await send('connection.setEnabled', { id, enabled });
            await loadConnections();
          },
          async remove(id) {
            await send('connection.remove', { id });
            await loadConnections();
          },
          async retryAll(id) {
            await send('sync.retry', { connectionId: id });
            await loadConnections();
          },
          // Before removing a connection: its unsent changes as a JSON file (what the health page lists).
          async exportUnsent(id) {
            const { entries, total } = await send('sync.entries', { connectionId: id });
            download(`liaison-unsent-${id}.json`, JSON.stringify({ connectionId: id, exportedAt: Date.now(), total, entries }, null, 2));
            return entries.length;
          },
        },
      }}
    />
  );
}

render(<App />, document.getElementById('root')!);
