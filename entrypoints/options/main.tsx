// The options page: customer-code format, stages and enums, reminders, privacy, language, data.
import '@/components/options/options.css';
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { Options } from '@/components/options/Options';
import { createT, pickLocale } from '@/lib/i18n';
import { onChanged, send } from '@/lib/messaging/client';
import type { Settings } from '@/lib/model';
import { crmSpecs, findSpec } from '@/lib/crm/registry';
import { hostPatternsFor, type CrmSpec } from '@/lib/crm/spec';
import type { ConnectionDraft, ConnectionView } from '@/lib/connections/views';
import type { ConnectionHealth } from '@/components/options/ConnectionsSection';
import type { T } from '@/lib/i18n';

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
  const [error, setError] = useState<string | undefined>();
  const t = useMemo(() => createT(pickLocale(settings?.language ?? 'auto', browser.i18n.getUILanguage())), [settings?.language]);
  const load = () =>
    send('settings.get', {})
      .then(setSettings)
      .catch((err: Error) => setError(err.message));
  const loadConnections = () =>
    Promise.all([send('connection.list', {}), send('sync.health', {})])
      .then(([list, h]) => {
        setConnections(list.connections);
        setHealth(Object.fromEntries(h.connections.map((c) => [c.connectionId, c])));
      })
      .catch((err: Error) => setError(err.message));
  useEffect(() => {
    void load();
    void loadConnections();
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
      }}
      connections={{
        specs: crmSpecs as readonly CrmSpec[],
        connections,
        health,
        actions: {
          async save(draft) {
            await grantHosts(t, draft);
            await send('connection.save', { draft });
            await loadConnections();
          },
          async test(draft) {
            await grantHosts(t, draft);
            return send('connection.test', { draft });
          },
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
        },
      }}
    />
  );
}

render(<App />, document.getElementById('root')!);
